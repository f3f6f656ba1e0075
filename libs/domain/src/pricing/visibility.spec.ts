import { errorOf } from '../testing/error-of';
import { priceBillOfMaterials } from './quote';
import { resolvePrice } from './resolve-price';
import { threeTierChain } from './testing/three-tier-chain';
import { quoteForClient, quoteForTier, viewForClient, viewForTier } from './visibility';

const OCT_1 = '2026-10-01T00:00:00Z';

/** Every string and key in a value, as it would leave in JSON. */
function jsonTokens(value: unknown): string[] {
  const tokens: string[] = [];
  JSON.stringify(value, (key, v) => {
    tokens.push(key);
    if (typeof v === 'string') tokens.push(v);
    return v;
  });
  return tokens;
}

describe('what each party may see', () => {
  const context = threeTierChain();
  // VCPU × 4: wholesale 10.00 / 40.00, R1 sells at 11.00 / 44.00, R2 at 13.75 / 55.00.
  const waterfall = resolvePrice(context, { sku: 'VCPU', quantity: '4', at: OCT_1 });

  it('shows the sub-reseller its cost, price and margin, never the wholesale price behind R1', () => {
    const view = viewForTier(waterfall, 'R2');
    expect([view.own.resellerId, view.own.unitCost.toString(), view.own.unitPrice.toString(), view.own.margin.toString()]).toEqual([
      'R2',
      '11.00',
      '13.75',
      '11.00',
    ]);
    expect(view.below).toEqual([]);
    const tokens = jsonTokens(view);
    expect(tokens).not.toContain('10.00');
    expect(tokens).not.toContain('40.00');
    expect(tokens).not.toContain('R1');
    expect(tokens).not.toContain('wholesaleUnitPrice');
    expect(tokens).not.toContain('wp-vcpu-1');
  });

  it('shows the top-level reseller its wholesale cost and the tiers below it', () => {
    const view = viewForTier(waterfall, 'R1');
    expect(view.own.unitCost.toString()).toBe('10.00');
    expect(view.below.map((t) => [t.resellerId, t.margin.toString()])).toEqual([['R2', '11.00']]);
    expect(view.clientAmount.toString()).toBe('55.00');
  });

  it('shows a client only its own price', () => {
    const view = viewForClient(waterfall);
    expect(jsonTokens(view).filter((t) => /^-?\d+(\.\d+)?$/.test(t))).toEqual(['4', '13.75', '55.00']);
  });

  it('refuses a party outside the chain', () => {
    const error = errorOf(() => viewForTier(waterfall, 'R3'));
    expect([error.code, error.kind]).toEqual(['PRICING_NOT_IN_CHAIN', 'forbidden']);
    expect(errorOf(() => quoteForTier(priceBillOfMaterials(context, { asOf: OCT_1, lines: [] }), 'R3')).code).toBe('PRICING_NOT_IN_CHAIN');
  });

  it('filters a quote the same way, with flags from the visible tiers only', () => {
    const quote = priceBillOfMaterials(context, {
      asOf: OCT_1,
      lines: [
        { sku: 'VCPU', quantity: '4' },
        { sku: 'IP', quantity: '2' },
      ],
    });
    const r2 = quoteForTier(quote, 'R2');
    // R1 sells IP below cost; that is R1's business, not R2's.
    expect(r2.lines.map((l) => [l.sku, l.own.unitCost, l.amount, l.flags])).toEqual([
      ['VCPU', '11.00', '55.00', []],
      ['IP', '2.805', '7.01', []],
    ]);
    expect([r2.own.costTotal, r2.own.marginTotal, r2.monthlyTotal]).toEqual(['49.61', '12.40', '62.01']);
    const tokens = jsonTokens(r2);
    for (const hidden of ['R1', '3.00', '6.00', '46.00', 'wholesaleTotal', 'wholesaleAmount']) expect(tokens).not.toContain(hidden);

    expect(quoteForTier(quote, 'R1').lines[1].flags).toEqual(['belowCost']);
    const client = quoteForClient(quote);
    expect(client.lines.map((l) => Object.keys(l).sort())).toEqual(
      Array(2).fill(['amount', 'category', 'name', 'quantity', 'ref', 'sku', 'unit', 'unitPrice']),
    );
    expect(client.monthlyTotal).toBe('62.01');
  });
});
