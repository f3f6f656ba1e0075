/**
 * A deliberately naive reference for property tests: exact rationals over bigint, written
 * independently of decimal.js, to check that the engine's exact decimals and single rounding
 * give the mathematically right figures. Test helper; not exported from the library.
 */
export interface Rational {
  n: bigint;
  /** Always > 0. */
  d: bigint;
}

export function rational(decimal: string): Rational {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!match) throw new Error(`not a plain decimal: ${decimal}`);
  const [, sign, whole, fraction = ''] = match;
  const n = BigInt(whole + fraction) * (sign ? -1n : 1n);
  return { n, d: 10n ** BigInt(fraction.length) };
}

export const ratio = (n: bigint, d: bigint): Rational => ({ n, d });
export const mul = (a: Rational, b: Rational): Rational => ({ n: a.n * b.n, d: a.d * b.d });
export const add = (a: Rational, b: Rational): Rational => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
export const sub = (a: Rational, b: Rational): Rational => add(a, { n: -b.n, d: b.d });
export const compare = (a: Rational, b: Rational): number => {
  const diff = a.n * b.d - b.n * a.d;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
};
export const sameValue = (a: Rational, b: Rational): boolean => compare(a, b) === 0;

/** Half-even to `digits` decimals, by the textbook definition. */
export function roundHalfEven(value: Rational, digits: number): Rational {
  const scale = 10n ** BigInt(digits);
  const scaled = { n: value.n * scale, d: value.d };
  let floor = scaled.n / scaled.d;
  if (scaled.n < 0n && floor * scaled.d !== scaled.n) floor -= 1n; // bigint division truncates
  const rest = sub(scaled, { n: floor, d: 1n }); // in [0, 1)
  const half = compare(rest, { n: 1n, d: 2n });
  const up = half > 0 || (half === 0 && floor % 2n !== 0n);
  return { n: up ? floor + 1n : floor, d: scale };
}
