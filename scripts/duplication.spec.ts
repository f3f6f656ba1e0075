import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// The copy check of the test command (jscpd with the project's .jscpd.json), run on a small tree
// laid out like the project's: a block copied from one area to another fails it; repeats inside
// one area, and copies in specs, do not.
const root = resolve(__dirname, '..');
const jscpd = join(root, 'node_modules', 'jscpd', 'run-jscpd.js');

/** Twelve lines, well over the thresholds (8 lines, 70 tokens). */
const BLOCK = `export function settle(lines: { amount: string; rate: string }[]): { total: string; count: number } {
  let total = 0n;
  let count = 0;
  for (const line of lines) {
    const [units, cents = '0'] = line.amount.split('.');
    const minor = BigInt(units) * 100n + BigInt(cents.padEnd(2, '0').slice(0, 2));
    const rated = (minor * BigInt(Math.round(Number(line.rate) * 10_000))) / 10_000n;
    total += rated;
    count += 1;
  }
  return { total: \`\${total / 100n}.\${String(total % 100n).padStart(2, '0')}\`, count };
}
`;

function check(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'jscpd-'));
  try {
    copyFileSync(join(root, '.jscpd.json'), join(dir, '.jscpd.json'));
    for (const area of ['apps/api', 'apps/worker', 'activities', 'workflows', 'libs']) mkdirSync(join(dir, area), { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const run = spawnSync(process.execPath, [jscpd, '--no-colors'], { cwd: dir, encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const other = 'export const unrelated = 1;\n';

describe('copy check (jscpd, .jscpd.json)', () => {
  it.each([
    ['apps/api', 'activities', 'apps/api/src/billing/settle.ts', 'activities/billing/settle.ts'],
    ['activities', 'libs', 'activities/billing/settle.ts', 'libs/billing/src/settle.ts'],
    ['apps/api', 'libs', 'apps/api/src/billing/settle.ts', 'libs/domain/src/billing/settle.ts'],
    ['workflows', 'libs', 'workflows/billing/settle.ts', 'libs/domain/src/billing/settle.ts'],
  ])('fails on a block copied between %s and %s', (_from, _to, first, second) => {
    const { status, output } = check({ [first]: BLOCK, [second]: `${other}${BLOCK}` });
    expect(status).toBe(1);
    expect(output).toContain('Found 1 clones');
  });

  it('passes a repeat inside one area, a copy in a spec, and a tree without copies', () => {
    const trees: Record<string, string>[] = [
      { 'libs/a/src/settle.ts': BLOCK, 'libs/b/src/settle.ts': BLOCK },
      { 'apps/api/src/settle.ts': BLOCK, 'libs/domain/src/settle.spec.ts': BLOCK },
      { 'apps/api/src/settle.ts': BLOCK, 'activities/billing/other.ts': other },
    ];
    for (const files of trees) {
      const { status, output } = check(files);
      expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('Found 0 clones') });
    }
  });
});
