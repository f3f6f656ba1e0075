import { errorOf } from '../testing/error-of';
import { priceBillOfMaterials } from './quote';
import { threeTierChain } from './testing/three-tier-chain';

const OCT_1 = '2026-10-01T00:00:00Z';
const BOM = [
  { sku: 'VCPU', quantity: '4', ref: 'web-1' },
  { sku: 'RAM', quantity: '16', ref: 'web-1' },
  { sku: 'STOR', quantity: '333', ref: 'web-1' },
  { sku: 'IP', quantity: '2' },
  { sku: 'WINLIC', quantity: '1' },
];

describe('priceBillOfMaterials', () => {
  const quote = priceBillOfMaterials(threeTierChain(), { asOf: OCT_1, lines: BOM });

  it('prices each line for the client, with the hand-computed amounts', () => {
    expect(quote.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.amount, l.flags])).toEqual([
      ['VCPU', '4', '13.75', '55.00', []],
      ['RAM', '16', '3.15', '50.40', ['clientOverride']],
      ['STOR', '333', '0.0556875', '18.54', []],
      ['IP', '2', '3.50625', '7.01', ['belowCost']],
      ['WINLIC', '1', '27.50', '27.50', ['fixedPrice']],
    ]);
    expect(quote.lines[0]).toMatchObject({
      ref: 'web-1',
      name: 'vCPU',
      category: 'compute',
      unit: 'vCPU',
      wholesaleUnitPrice: '10.00',
      wholesaleAmount: '40.00',
    });
    expect(quote.lines[3].tiers[0]).toMatchObject({ resellerId: 'R1', unitCost: '3.00', unitPrice: '2.805', margin: '-0.39', belowCost: true });
  });

  it('totals the rounded lines, per tier too, and the waterfall balances', () => {
    expect({ monthly: quote.monthlyTotal, wholesale: quote.wholesaleTotal, currency: quote.currency, asOf: quote.asOf }).toEqual({
      monthly: '158.45',
      wholesale: '120.98',
      currency: 'EUR',
      asOf: '2026-10-01T00:00:00.000Z',
    });
    expect(quote.tiers).toEqual([
      { resellerId: 'R1', depth: 0, costTotal: '120.98', saleTotal: '136.09', marginTotal: '15.11', belowCostLines: 1 },
      { resellerId: 'R2', depth: 1, costTotal: '136.09', saleTotal: '158.45', marginTotal: '22.36', belowCostLines: 0 },
    ]);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(quote))).toEqual(quote);
  });

  it('refuses a retired item on a new quote but re-prices it when asked', () => {
    const error = errorOf(() => priceBillOfMaterials(threeTierChain(), { asOf: OCT_1, lines: [...BOM, { sku: 'OLDVM', quantity: '1' }] }));
    expect([error.code, error.fields[0].field]).toEqual(['PRICING_ITEM_RETIRED', 'lines[5].sku']);
    const repriced = priceBillOfMaterials(threeTierChain(), { asOf: OCT_1, lines: [{ sku: 'OLDVM', quantity: '1' }], allowRetired: true });
    expect(repriced.monthlyTotal).toBe('6.88'); // 5.00 → 5.50 → 6.875 → 6.88 (to even)
  });

  it('names the line at fault', () => {
    const unknown = errorOf(() =>
      priceBillOfMaterials(threeTierChain(), {
        asOf: OCT_1,
        lines: [
          { sku: 'VCPU', quantity: '1' },
          { sku: 'GPU', quantity: '1' },
        ],
      }),
    );
    expect([unknown.code, unknown.fields[0].field]).toEqual(['PRICING_UNKNOWN_SKU', 'lines[1].sku']);
    const negative = errorOf(() => priceBillOfMaterials(threeTierChain(), { asOf: OCT_1, lines: [{ sku: 'VCPU', quantity: '-2' }] }));
    expect([negative.code, negative.fields[0].field]).toEqual(['PRICING_INVALID_QUANTITY', 'lines[0].quantity']);
  });

  it('quotes an empty bill of materials at zero', () => {
    const empty = priceBillOfMaterials(threeTierChain(), { asOf: OCT_1, lines: [] });
    expect([empty.monthlyTotal, empty.wholesaleTotal, empty.tiers.map((t) => t.marginTotal)]).toEqual(['0.00', '0.00', ['0.00', '0.00']]);
  });
});
