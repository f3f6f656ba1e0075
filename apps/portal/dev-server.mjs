// The portal's dev server for `npm start`: Vite with live reload on /portal/, everything else
// proxied to the API (PORTAL_API_URL), so the app calls the API at its own origin as in production.
import { createServer } from 'vite';

const server = await createServer({ configFile: new URL('./vite.config.mts', import.meta.url).pathname });
await server.listen();
console.log(`portal dev server on ${server.resolvedUrls?.local[0] ?? `port ${server.config.server.port}`}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
