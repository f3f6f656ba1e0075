// The portal's build and dev server. Built into dist/portal and served by the API under /portal/;
// in development (`npm start`) the dev server serves /portal/ and proxies everything else to the API,
// so the app always calls the API at its own origin.
import { fileURLToPath } from 'node:url';
import { defineConfig, type LogLevel } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/portal/',
  resolve: {
    alias: [
      // Pure libraries shared with the server: the domain rules, and single contract files (the
      // contracts' index also defines Temporal messages, which have no place in a browser).
      { find: /^@wholesail\/domain$/, replacement: here('../../libs/domain/src/index.ts') },
      { find: /^@wholesail\/contracts\/(.*)$/, replacement: `${here('../../libs/contracts/src')}/$1` },
    ],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../../dist/portal'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Routes are split per page; the entry chunk carries React, the router, the data layer and the
    // shell (about 360 kB minified, 110 KiB gzipped): warn only if it grows well past that.
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      // Radix marks its modules "use client" for server components; meaningless in a client bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'PLUGIN_TIMINGS') return;
        warn(warning);
      },
    },
  },
  server: {
    port: Number(process.env.PORTAL_PORT ?? 5173),
    strictPort: true,
    proxy: {
      // Everything outside /portal/ is the API (same origin as in production).
      '^/(?!portal(/|$))': { target: process.env.PORTAL_API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: { port: Number(process.env.PORTAL_PORT ?? 5173) },
  logLevel: (process.env.PORTAL_VITE_LOG as LogLevel | undefined) ?? 'info',
});
