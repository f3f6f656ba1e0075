import fc from 'fast-check';
import { Money, minorDigits, parseCurrency, parseRatio } from '../money';
import * as Q from '../testing/rational';
import { ClientPriceOverride, PriceBookVersion } from './price-book';
import { PriceRule } from './price-rule';
import { PricingContext } from './pricing-context';
import { priceBillOfMaterials } from './quote';
import { resolvePrice } from './resolve-price';
import { PriceWaterfall } from './waterfall';

/**
 * Property tests over random chains of 1–5 resellers, random books, overrides, prices (with a
 * price change at a random instant) and quantities given as decimal strings. Every figure is
 * checked against an independent exact-rational reference, and every line must balance.
 */
const SKUS = ['A', 'B', 'C'] as const;
const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** A decimal string in [0, max] with up to `maxScale` decimals, e.g. "1234.5678". */
const decimal = (max: bigint, maxScale: number) =>
  fc.integer({ min: 0, max: maxScale }).chain((scale) =>
    fc.bigInt({ min: 0n, max: max * 10n ** BigInt(scale) }).map((units) => {
      const digits = units.toString().padStart(scale + 1, '0');
      return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    }),
  );

const ruleArb: fc.Arbitrary<PriceRule<string>> = fc.oneof(
  decimal(300n, 4).map((upliftPercent) => ({ kind: 'uplift' as const, upliftPercent })),
  decimal(100n, 4).map((discountPercent) => ({ kind: 'discount' as const, discountPercent })),
  decimal(1000n, 4).map((fixedUnitPrice) => ({ kind: 'fixed' as const, fixedUnitPrice })),
);

const tierArb = fc.record({
  defaultUpliftPercent: decimal(200n, 3),
  rules: fc.tuple(...SKUS.map(() => fc.option(ruleArb, { nil: undefined }))),
});

const instantArb = fc.integer({ min: 0, max: YEAR_MS - 1 }).map((offset) => new Date(YEAR_START + offset));
/** After the first price's start, so both versions exist. */
const priceChangeArb = fc.integer({ min: 1, max: YEAR_MS - 1 }).map((offset) => new Date(YEAR_START + offset));

const scenarioArb = fc.record({
  currency: fc.constantFrom('EUR', 'JPY', 'BHD'),
  /** Per SKU: the price before and after `priceChange`. */
  prices: fc.tuple(...SKUS.map(() => fc.tuple(decimal(100_000n, 6), decimal(100_000n, 6)))),
  priceChange: priceChangeArb,
  tiers: fc.array(tierArb, { minLength: 1, maxLength: 5 }),
  overrides: fc.tuple(...SKUS.map(() => fc.option(ruleArb, { nil: undefined }))),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const shareArb = fc.option(
  fc.bigInt({ min: 1n, max: 31n * 86_400n }).chain((inPeriod) => fc.bigInt({ min: 0n, max: inPeriod }).map((existed) => ({ existed, inPeriod }))),
  { nil: undefined },
);

function toContext(s: Scenario): PricingContext {
  const from = '2026-01-01T00:00:00Z';
  const change = s.priceChange.toISOString();
  const resellerIds = s.tiers.map((_, i) => `R${i}`);
  const priceBooks: PriceBookVersion[] = s.tiers.map((tier, i) => ({
    id: `book-${i}`,
    resellerId: resellerIds[i],
    audience: i === s.tiers.length - 1 ? 'clients' : 'subResellers',
    effectiveFrom: from,
    defaultUpliftPercent: tier.defaultUpliftPercent,
    rules: SKUS.flatMap((sku, k) => (tier.rules[k] ? [{ sku, ...tier.rules[k] }] : [])),
  }));
  const clientOverrides: ClientPriceOverride[] = SKUS.flatMap((sku, k) =>
    s.overrides[k] ? [{ clientId: 'C', sku, effectiveFrom: from, ...s.overrides[k] }] : [],
  );
  return {
    catalog: {
      currency: s.currency,
      items: SKUS.map((sku) => ({ sku, name: sku, category: 'compute' as const, unit: 'unit' })),
      prices: SKUS.flatMap((sku, k) => [
        { sku, unitPrice: s.prices[k][0], effectiveFrom: from, effectiveTo: change },
        { sku, unitPrice: s.prices[k][1], effectiveFrom: change },
      ]),
    },
    chain: { clientId: 'C', resellerIds },
    priceBooks,
    clientOverrides,
  };
}

/** The reference: each tier's exact unit price, by the rules as documented on PriceRule. */
function referenceUnitPrices(s: Scenario, skuIndex: number, at: Date): { wholesale: Q.Rational; tiers: Array<{ cost: Q.Rational; price: Q.Rational }> } {
  const hundredth = Q.ratio(1n, 100n);
  const factor = (percent: string, sign: 1n | -1n) => Q.mul(Q.add(Q.rational('100'), Q.mul(Q.rational(percent), Q.ratio(sign, 1n))), hundredth);
  const wholesale = Q.rational(s.prices[skuIndex][at.getTime() < s.priceChange.getTime() ? 0 : 1]);
  let cost = wholesale;
  const tiers = s.tiers.map((tier, i) => {
    const last = i === s.tiers.length - 1;
    const rule: PriceRule<string> = (last && s.overrides[skuIndex]) || tier.rules[skuIndex] || { kind: 'uplift', upliftPercent: tier.defaultUpliftPercent };
    const price =
      rule.kind === 'uplift'
        ? Q.mul(cost, factor(rule.upliftPercent, 1n))
        : rule.kind === 'discount'
          ? Q.mul(Q.mul(cost, factor(tier.defaultUpliftPercent, 1n)), factor(rule.discountPercent, -1n))
          : Q.rational(rule.fixedUnitPrice);
    const line = { cost, price };
    cost = price;
    return line;
  });
  return { wholesale, tiers };
}

const q = (money: Money) => Q.rational(money.amount.toFixed());

function expectBalancedLine(w: PriceWaterfall, minor: number) {
  const all = [w.wholesaleAmount, w.clientAmount, ...w.tiers.flatMap((t) => [t.costAmount, t.saleAmount, t.margin])];
  for (const amount of all) expect(amount.amount.decimalPlaces()).toBeLessThanOrEqual(minor);
  w.tiers.forEach((tier, i) => expect(tier.costAmount.equals(i === 0 ? w.wholesaleAmount : w.tiers[i - 1].saleAmount)).toBe(true));
  const marginsPlusWholesale = w.tiers.reduce((sum, tier) => sum.add(tier.margin), w.wholesaleAmount);
  expect(marginsPlusWholesale.equals(w.clientAmount)).toBe(true);
}

describe('pricing properties', () => {
  it('every line balances: Σ tier margins + wholesale amount = client amount, and matches the exact reference', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat({ max: SKUS.length - 1 }), decimal(1_000_000n, 6), instantArb, shareArb, (s, k, quantity, at, share) => {
        const w = resolvePrice(toContext(s), {
          sku: SKUS[k],
          quantity,
          at,
          share: share && { secondsExisted: share.existed, secondsInPeriod: share.inPeriod },
        });
        const minor = minorDigits(parseCurrency(s.currency));
        expectBalancedLine(w, minor);

        const ref = referenceUnitPrices(s, k, at);
        const lineShare = Q.mul(Q.rational(quantity), share ? Q.ratio(share.existed, share.inPeriod) : Q.ratio(1n, 1n));
        const expectedAmount = (unit: Q.Rational) => Q.roundHalfEven(Q.mul(unit, lineShare), minor);
        expect(Q.sameValue(q(w.wholesaleUnitPrice), ref.wholesale)).toBe(true);
        expect(Q.sameValue(q(w.wholesaleAmount), expectedAmount(ref.wholesale))).toBe(true);
        w.tiers.forEach((tier, i) => {
          expect(Q.sameValue(q(tier.unitCost), ref.tiers[i].cost)).toBe(true);
          expect(Q.sameValue(q(tier.unitPrice), ref.tiers[i].price)).toBe(true);
          expect(Q.sameValue(q(tier.saleAmount), expectedAmount(ref.tiers[i].price))).toBe(true);
          expect(tier.belowCost).toBe(Q.compare(ref.tiers[i].price, ref.tiers[i].cost) < 0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a quote totals its rounded lines, overall and per tier, and balances', () => {
    const bomArb = fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: decimal(10_000n, 3) }), { maxLength: 8 });
    fc.assert(
      fc.property(scenarioArb, bomArb, instantArb, (s, lines, asOf) => {
        const quote = priceBillOfMaterials(toContext(s), { asOf, lines });
        const sum = (values: string[]) => values.map(Q.rational).reduce(Q.add, Q.rational('0'));
        expect(Q.sameValue(Q.rational(quote.monthlyTotal), sum(quote.lines.map((l) => l.amount)))).toBe(true);
        expect(Q.sameValue(Q.rational(quote.wholesaleTotal), sum(quote.lines.map((l) => l.wholesaleAmount)))).toBe(true);
        expect(Q.sameValue(Q.rational(quote.monthlyTotal), Q.add(Q.rational(quote.wholesaleTotal), sum(quote.tiers.map((t) => t.marginTotal))))).toBe(true);
        quote.tiers.forEach((tier, i) => {
          expect(Q.sameValue(Q.rational(tier.marginTotal), Q.sub(Q.rational(tier.saleTotal), Q.rational(tier.costTotal)))).toBe(true);
          expect(tier.costTotal).toBe(i === 0 ? quote.wholesaleTotal : quote.tiers[i - 1].saleTotal);
          expect(Q.sameValue(Q.rational(tier.saleTotal), sum(quote.lines.map((l) => l.tiers[i].saleAmount)))).toBe(true);
        });
        expect(quote.tiers[quote.tiers.length - 1].saleTotal).toBe(quote.monthlyTotal);
      }),
      { numRuns: 200 },
    );
  });
});

describe('money rounding properties', () => {
  const signed = fc.tuple(fc.boolean(), decimal(10n ** 12n, 12)).map(([negative, value]) => (negative ? `-${value}` : value));
  const currency = fc.constantFrom('EUR', 'JPY', 'BHD');

  it('roundToMinor is half-even to the minor unit, exactly', () => {
    fc.assert(
      fc.property(signed, currency, (value, code) => {
        const rounded = Money.of(value, code).roundToMinor();
        expect(Q.sameValue(q(rounded), Q.roundHalfEven(Q.rational(value), minorDigits(parseCurrency(code))))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('mulRatioRoundedToMinor rounds the exact fraction once', () => {
    const fraction = fc.bigInt({ min: 1n, max: 10n ** 9n }).chain((d) => fc.bigInt({ min: 0n, max: 3n * d }).map((n) => ({ n, d })));
    fc.assert(
      fc.property(signed, currency, fraction, (value, code, { n, d }) => {
        const rounded = Money.of(value, code).mulRatioRoundedToMinor(parseRatio(n, d));
        expect(Q.sameValue(q(rounded), Q.roundHalfEven(Q.mul(Q.rational(value), Q.ratio(n, d)), minorDigits(parseCurrency(code))))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
