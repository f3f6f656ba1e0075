import { existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';

/**
 * Where the built portal lives (dist/portal, written by `npm run build`), found from this file
 * both in the sources (apps/api/src/portal) and in the build output (dist/apps/api/src/portal):
 * the nearest ancestor with a package.json is the project root.
 */
export function portalDirectory(start: string = __dirname): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'portal');
    if (dirname(dir) === dir) return null;
  }
}

const ASSET_EXTENSIONS = /\.(js|mjs|css|map|json|svg|png|jpe?g|gif|webp|ico|txt|woff2?|webmanifest|gz)$/i;

export type PortalFile = { kind: 'file'; path: string; gzipped: string | null; immutable: boolean; type: string } | { kind: 'app' } | { kind: 'missing' };

/**
 * What a request for `/portal/<relative>` gets: a built file (its precompressed twin when there is
 * one), the app itself for any route without a file extension (the router takes it from there),
 * or nothing. Paths never leave the portal directory.
 */
export function resolvePortalFile(root: string, relative: string): PortalFile {
  const clean = normalize(decodeURIComponentSafe(relative)).replace(/^([/\\]|\.\.[/\\]?)+/, '');
  const path = join(root, clean);
  if (clean && !clean.startsWith('..') && path.startsWith(root + sep) && isFile(path) && clean !== 'index.html') {
    const gz = `${path}.gz`;
    return { kind: 'file', path, gzipped: isFile(gz) ? gz : null, immutable: clean.startsWith(`assets${sep}`), type: extname(path) };
  }
  // A missing script or stylesheet is a 404, never the app's HTML under the wrong type. (Route
  // parameters may hold dots, e.g. an invitation token, so only asset-like names count.)
  return clean.startsWith(`assets${sep}`) || ASSET_EXTENSIONS.test(clean) ? { kind: 'missing' } : { kind: 'app' };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
