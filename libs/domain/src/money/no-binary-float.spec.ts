import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * "No amount is ever computed with a JS number": the types keep numbers out of the API (see the
 * specs passing numbers), and this scan keeps the usual ways of turning a decimal into a float out
 * of the money, pricing and billing code itself.
 */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['parseFloat', /\bparseFloat\s*\(/],
  ['parseInt', /\bparseInt\s*\(/],
  ['Number()', /\bNumber\s*\(/],
  ['Decimal#toNumber', /\.toNumber\s*\(/],
  ['Math rounding', /\bMath\.(round|floor|ceil|trunc|fround)\s*\(/],
  ['a decimal built from a number literal', /new\s+(Dec|Decimal)\s*\(\s*-?\d/],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('money, pricing and billing code', () => {
  const files = [...sources(join(__dirname)), ...sources(join(__dirname, '..', 'pricing')), ...sources(join(__dirname, '..', 'billing'))];

  it('has sources to scan', () => {
    expect(files.map((f) => f.split(/[\\/]/).pop())).toEqual(
      expect.arrayContaining(['money.ts', 'resolve-price.ts', 'quote.ts', 'commission.ts', 'ledger.ts']),
    );
  });

  it.each(FORBIDDEN)('never uses %s', (_label, pattern) => {
    const offenders = files.filter((file) => pattern.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
