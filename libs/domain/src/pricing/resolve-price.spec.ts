import { errorOf } from '../testing/error-of';
import { PricingContext } from './pricing-context';
import { resolvePrice } from './resolve-price';
import { PRICE_CHANGE, threeTierChain } from './testing/three-tier-chain';
import { PriceWaterfall } from './waterfall';

const OCT_1 = '2026-10-01T00:00:00Z';

/** The waterfall as strings, tier by tier, to compare with the hand-computed figures. */
function figures(w: PriceWaterfall) {
  return {
    wholesale: [w.wholesaleUnitPrice.toString(), w.wholesaleAmount.toString()],
    tiers: w.tiers.map((t) => ({
      id: t.resellerId,
      unit: [t.unitCost.toString(), t.unitPrice.toString()],
      amount: [t.costAmount.toString(), t.saleAmount.toString()],
      margin: t.margin.toString(),
      belowCost: t.belowCost,
    })),
    client: [w.clientUnitPrice.toString(), w.clientAmount.toString()],
  };
}

function expectBalanced(w: PriceWaterfall) {
  const margins = w.tiers.reduce((sum, tier) => sum.add(tier.margin), w.wholesaleAmount);
  expect(margins.equals(w.clientAmount)).toBe(true);
}

describe('resolvePrice across operator → R1 → R2 → client', () => {
  const context = threeTierChain();
  const price = (sku: string, quantity: string, at = OCT_1) => resolvePrice(context, { sku, quantity, at });

  it('applies each default uplift to the cost below it', () => {
    // 10.00 → R1 +10 % → 11.00 → R2 +25 % → 13.75; × 4 vCPU.
    const w = price('VCPU', '4');
    expect(figures(w)).toEqual({
      wholesale: ['10.00', '40.00'],
      tiers: [
        { id: 'R1', unit: ['10.00', '11.00'], amount: ['40.00', '44.00'], margin: '4.00', belowCost: false },
        { id: 'R2', unit: ['11.00', '13.75'], amount: ['44.00', '55.00'], margin: '11.00', belowCost: false },
      ],
      client: ['13.75', '55.00'],
    });
    expect(w.tiers.map((t) => t.appliedRule)).toEqual([
      { source: 'defaultUplift', rule: { kind: 'uplift', upliftPercent: '10' }, versionId: 'pb-r1-sub' },
      { source: 'defaultUplift', rule: { kind: 'uplift', upliftPercent: '25' }, versionId: 'pb-r2-clients' },
    ]);
    expect(w.wholesalePriceVersionId).toBe('wp-vcpu-1');
    expectBalanced(w);
  });

  it('flags a discount that sells below cost, and keeps the negative margin', () => {
    // R1's list price is 3.00 × 1.10 = 3.30; less 15 % = 2.805 < 3.00. R2: 2.805 × 1.25 = 3.50625.
    const w = price('IP', '2');
    expect(figures(w)).toEqual({
      wholesale: ['3.00', '6.00'],
      tiers: [
        { id: 'R1', unit: ['3.00', '2.805'], amount: ['6.00', '5.61'], margin: '-0.39', belowCost: true },
        { id: 'R2', unit: ['2.805', '3.50625'], amount: ['5.61', '7.01'], margin: '1.40', belowCost: false },
      ],
      client: ['3.50625', '7.01'],
    });
    expectBalanced(w);
  });

  it('takes a discount off the list price, so a small one keeps a margin', () => {
    // R1: 0.045 × 1.10 = 0.0495. R2's list 0.0495 × 1.25 = 0.061875, less 10 % = 0.0556875.
    // 333 GB: 14.985 → 14.98 (a tie, to even), 16.4835 → 16.48, 18.5439375 → 18.54.
    const w = price('STOR', '333');
    expect(figures(w)).toEqual({
      wholesale: ['0.045', '14.98'],
      tiers: [
        { id: 'R1', unit: ['0.045', '0.0495'], amount: ['14.98', '16.48'], margin: '1.50', belowCost: false },
        { id: 'R2', unit: ['0.0495', '0.0556875'], amount: ['16.48', '18.54'], margin: '2.06', belowCost: false },
      ],
      client: ['0.0556875', '18.54'],
    });
    expectBalanced(w);
  });

  it('charges a fixed price whatever the cost', () => {
    const w = price('WINLIC', '1');
    expect(figures(w).tiers[0]).toEqual({ id: 'R1', unit: ['20.00', '22.00'], amount: ['20.00', '22.00'], margin: '2.00', belowCost: false });
    expect(w.clientUnitPrice.toString()).toBe('27.50');
    expect(w.tiers[0].appliedRule).toEqual({ source: 'rule', rule: { kind: 'fixed', fixedUnitPrice: '22.00' }, versionId: 'pb-r1-sub' });
  });

  it('applies the client’s negotiated override instead of the client book', () => {
    // R1: 2.50 × 1.20 = 3.00; C1's override: 3.00 × 1.05 = 3.15 (R2's book would say 3.75).
    const w = price('RAM', '16');
    expect(figures(w).tiers[1]).toEqual({ id: 'R2', unit: ['3.00', '3.15'], amount: ['48.00', '50.40'], margin: '2.40', belowCost: false });
    expect(w.tiers[1].appliedRule).toEqual({ source: 'clientOverride', rule: { kind: 'uplift', upliftPercent: '5' }, versionId: 'co-c1-ram' });

    const otherClient: PricingContext = { ...context, chain: { clientId: 'C2', resellerIds: ['R1', 'R2'] } };
    expect(resolvePrice(otherClient, { sku: 'RAM', quantity: '16', at: OCT_1 }).clientAmount.toString()).toBe('60.00');
  });

  it('uses the price in force at the instant: a change in the middle of the month', () => {
    const justBefore = price('VCPU', '4', '2026-10-14T23:59:59Z');
    const atChange = price('VCPU', '4', PRICE_CHANGE);
    expect(figures(justBefore).client).toEqual(['13.75', '55.00']);
    // 12.00 → 13.20 → 16.50; × 4.
    expect(figures(atChange)).toEqual({
      wholesale: ['12.00', '48.00'],
      tiers: [
        { id: 'R1', unit: ['12.00', '13.20'], amount: ['48.00', '52.80'], margin: '4.80', belowCost: false },
        { id: 'R2', unit: ['13.20', '16.50'], amount: ['52.80', '66.00'], margin: '13.20', belowCost: false },
      ],
      client: ['16.50', '66.00'],
    });
    expect(atChange.wholesalePriceVersionId).toBe('wp-vcpu-2');
  });

  it('rounds each amount once from the exact unit price, so margins reconcile', () => {
    // 0.0556875 × 3 = 0.1670625 → 0.17; R1 0.0495 × 3 = 0.1485 → 0.15 (to even); wholesale 0.135 → 0.14.
    const w = price('STOR', '3');
    expect(figures(w).tiers.map((t) => [t.amount, t.margin])).toEqual([
      [['0.14', '0.15'], '0.01'],
      [['0.15', '0.17'], '0.02'],
    ]);
    expectBalanced(w);
  });

  it('prices a single-tier chain (a direct reseller) straight off wholesale', () => {
    const direct: PricingContext = { ...context, chain: { clientId: 'C9', resellerIds: ['R2'] } };
    const w = resolvePrice(direct, { sku: 'VCPU', quantity: '1', at: OCT_1 });
    expect(figures(w).tiers).toEqual([{ id: 'R2', unit: ['10.00', '12.50'], amount: ['10.00', '12.50'], margin: '2.50', belowCost: false }]);
  });
});

describe('resolvePrice through a deep chain', () => {
  it('carries unit prices exactly, past 40 significant digits, and rounds the line once', () => {
    const resellerIds = ['T0', 'T1', 'T2', 'T3', 'T4'];
    const deep: PricingContext = {
      catalog: {
        currency: 'EUR',
        items: [{ sku: 'X', name: 'X', category: 'service', unit: 'unit' }],
        prices: [{ sku: 'X', unitPrice: '12345.678901', effectiveFrom: OCT_1 }],
      },
      chain: { clientId: 'C', resellerIds },
      priceBooks: resellerIds.map((resellerId, i) => ({
        resellerId,
        audience: i === resellerIds.length - 1 ? ('clients' as const) : ('subResellers' as const),
        effectiveFrom: OCT_1,
        defaultUpliftPercent: '12.3457',
        rules: [],
      })),
      clientOverrides: [],
    };
    const w = resolvePrice(deep, { sku: 'X', quantity: '1234.567891', at: OCT_1 });
    // 12345.678901 × 1.123457⁵ = 22095.1650…, exactly 12345678901 × 1123457⁵ / 10^36: 41 digits.
    const digits = (12345678901n * 1123457n ** 5n).toString();
    expect(w.clientUnitPrice.amount.toFixed()).toBe(`${digits.slice(0, -36)}.${digits.slice(-36)}`);
    expect(w.clientUnitPrice.amount.sd()).toBeGreaterThan(40);
    // × 1234.567891 = 27277981.3172… (50 digits) → 27277981.32.
    expect(w.clientAmount.toString()).toBe('27277981.32');
    expectBalanced(w);
  });
});

describe('resolvePrice refuses what it cannot price', () => {
  const context = threeTierChain();

  it('names an unknown SKU', () => {
    const error = errorOf(() => resolvePrice(context, { sku: 'GPU', quantity: '1', at: OCT_1 }));
    expect([error.code, error.fields[0].field]).toEqual(['PRICING_UNKNOWN_SKU', 'sku']);
  });

  it('has no price before the first version, nor without a book in force', () => {
    expect(errorOf(() => resolvePrice(context, { sku: 'VCPU', quantity: '1', at: '2025-12-31T23:59:59Z' })).code).toBe('PRICING_NO_PRICE_IN_FORCE');
    const noBook: PricingContext = { ...context, priceBooks: context.priceBooks.filter((book) => book.id !== 'pb-r1-sub') };
    const error = errorOf(() => resolvePrice(noBook, { sku: 'VCPU', quantity: '1', at: OCT_1 }));
    expect([error.code, error.kind]).toEqual(['PRICING_NO_PRICE_IN_FORCE', 'conflict']);
    expect(error.message).toMatch(/R1's subResellers price book/);
  });

  it('refuses to pick between two versions in force at once', () => {
    const doubled: PricingContext = {
      ...context,
      catalog: { ...context.catalog, prices: [...context.catalog.prices, { sku: 'RAM', unitPrice: '9', effectiveFrom: '2026-09-01T00:00:00Z' }] },
    };
    expect(errorOf(() => resolvePrice(doubled, { sku: 'RAM', quantity: '1', at: OCT_1 })).code).toBe('PRICING_OVERLAPPING_VERSIONS');
  });

  it('refuses a stored rule out of bounds, naming it', () => {
    const bad: PricingContext = {
      ...context,
      priceBooks: context.priceBooks.map((book) =>
        book.id === 'pb-r1-sub' ? { ...book, rules: [{ sku: 'VCPU', kind: 'discount', discountPercent: '120' }] } : book,
      ),
    };
    const error = errorOf(() => resolvePrice(bad, { sku: 'VCPU', quantity: '1', at: OCT_1 }));
    expect([error.code, error.fields]).toEqual([
      'PRICING_INVALID_RULE',
      [{ field: 'priceBooks[pb-r1-sub].rules[0].discountPercent', problem: 'must be between 0 and 100' }],
    ]);
  });

  it('refuses negative quantities, JS numbers and bare dates', () => {
    expect(errorOf(() => resolvePrice(context, { sku: 'VCPU', quantity: '-1', at: OCT_1 })).code).toBe('PRICING_INVALID_QUANTITY');
    // @ts-expect-error quantities are decimal strings, never JS numbers
    expect(errorOf(() => resolvePrice(context, { sku: 'VCPU', quantity: 4, at: OCT_1 })).code).toBe('MONEY_NUMBER_NOT_ALLOWED');
    expect(errorOf(() => resolvePrice(context, { sku: 'VCPU', quantity: '1', at: '2026-10-01' })).fields[0].field).toBe('at');
  });

  it('refuses an empty or repeating chain', () => {
    expect(errorOf(() => resolvePrice({ ...context, chain: { clientId: 'C1', resellerIds: [] } }, { sku: 'VCPU', quantity: '1', at: OCT_1 })).code).toBe(
      'PRICING_INVALID_CHAIN',
    );
    expect(
      errorOf(() => resolvePrice({ ...context, chain: { clientId: 'C1', resellerIds: ['R1', 'R1'] } }, { sku: 'VCPU', quantity: '1', at: OCT_1 })).code,
    ).toBe('PRICING_INVALID_CHAIN');
  });
});
