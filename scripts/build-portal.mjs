// Builds the web portal (apps/portal) into dist/portal, writes a gzip twin beside every text asset
// (the API serves it to browsers that accept gzip) and reports the initial JavaScript a first visit
// downloads: the entry script and the chunks it preloads, gzipped. Run by scripts/build.mjs.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/portal');

export async function buildPortal() {
  const started = Date.now();
  const { build } = await import('vite');
  // Always a production bundle: Vite follows NODE_ENV when it is set, and the test command sets
  // NODE_ENV=test (which would ship React's development build, half again as large).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(root, 'apps/portal/vite.config.mts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const sizes = new Map();
  for (const file of walk(out)) {
    if (!/\.(js|css|html|svg|json|map)$/.test(file)) continue;
    const gz = gzipSync(readFileSync(file), { level: 9 });
    writeFileSync(`${file}.gz`, gz);
    sizes.set(file.slice(out.length + 1), gz.length);
  }
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/portal\/([^"]+\.js)"/g)].map((m) => m[1]);
  const initialGzip = initial.reduce((sum, file) => sum + (sizes.get(file) ?? 0), 0);
  const allJs = [...sizes].filter(([file]) => file.endsWith('.js')).reduce((sum, [, size]) => sum + size, 0);
  const report = { initialJsGzipBytes: initialGzip, initialFiles: initial, allJsGzipBytes: allJs, builtInMs: Date.now() - started };
  writeFileSync(join(out, 'build-report.json'), JSON.stringify(report, null, 2));
  console.log(
    `build: dist/portal in ${(report.builtInMs / 1000).toFixed(1)} s; initial JS ${kib(initialGzip)} gzipped (${initial.length} files), all JS ${kib(allJs)} gzipped`,
  );
  return report;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPortal();
