import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portalDirectory, resolvePortalFile } from './portal-files';

describe('resolvePortalFile', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'portal-files-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'favicon.svg'), '<svg/>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'x');
    writeFileSync(join(root, 'assets', 'index-abc123.js.gz'), 'gz');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves built files, hashed assets as immutable with their gzip twin', () => {
    expect(resolvePortalFile(root, 'assets/index-abc123.js')).toEqual({
      kind: 'file',
      path: join(root, 'assets', 'index-abc123.js'),
      gzipped: join(root, 'assets', 'index-abc123.js.gz'),
      immutable: true,
      type: '.js',
    });
    expect(resolvePortalFile(root, 'favicon.svg')).toMatchObject({ kind: 'file', gzipped: null, immutable: false });
  });

  it('answers every route without a file extension with the app', () => {
    for (const route of ['', 'inbox', 'applications/5c2f', 'invitations/0d1e.Zm9v-YmFy_x', 'index.html'])
      expect(resolvePortalFile(root, route)).toEqual({ kind: 'app' });
  });

  it('never answers a missing asset with the app, nor leaves the portal directory', () => {
    expect(resolvePortalFile(root, 'assets/gone-123.js')).toEqual({ kind: 'missing' });
    // The project's package.json sits two levels above a real dist/portal: it is never served.
    expect(resolvePortalFile(join(root, 'assets'), '../../package.json')).toEqual({ kind: 'missing' });
    expect(resolvePortalFile(join(root, 'assets'), '..%2Findex.html')).toEqual({ kind: 'app' });
    expect(resolvePortalFile(root, '../../../etc/passwd')).toEqual({ kind: 'app' });
  });

  it('finds dist/portal under the project root', () => {
    expect(portalDirectory(__dirname)).toBe(join(__dirname, '..', '..', '..', '..', 'dist', 'portal'));
  });
});
