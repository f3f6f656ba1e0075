import { errorOf } from '../testing/error-of';
import { PriceBookVersion } from './price-book';
import { PricingContext } from './pricing-context';
import { threeTierChain } from './testing/three-tier-chain';
import {
  assertValidCatalogItem,
  assertValidClientOverride,
  assertValidPriceBookVersion,
  assertValidWholesalePrice,
  validatePricingContext,
} from './validation';

const { catalog } = threeTierChain();
const items = catalog.items;
const book = (overrides: Partial<PriceBookVersion>): PriceBookVersion => ({
  resellerId: 'R9',
  audience: 'clients',
  effectiveFrom: '2026-10-01T00:00:00Z',
  defaultUpliftPercent: '20',
  rules: [],
  ...overrides,
});

describe('validating pricing data before it is saved', () => {
  it('refuses a negative wholesale price, naming the field', () => {
    const error = errorOf(() => assertValidWholesalePrice({ sku: 'RAM', unitPrice: '-0.01', effectiveFrom: '2027-01-01T00:00:00Z' }, { items }));
    expect([error.code, error.fields]).toEqual(['PRICING_INVALID_PRICE', [{ field: 'unitPrice', problem: 'must not be negative' }]]);
  });

  it('refuses out-of-bounds rules, reporting every field at fault', () => {
    const error = errorOf(() =>
      assertValidPriceBookVersion(
        book({
          defaultUpliftPercent: '-1',
          rules: [
            { sku: 'RAM', kind: 'discount', discountPercent: '100.01' },
            { sku: 'IP', kind: 'uplift', upliftPercent: '-5' },
            { sku: 'VCPU', kind: 'fixed', fixedUnitPrice: 'ten' },
            { sku: 'RAM', kind: 'uplift', upliftPercent: '1' },
          ],
        }),
        { items },
      ),
    );
    expect(error.code).toBe('PRICING_INVALID_RULE');
    expect(error.fields).toEqual([
      { field: 'defaultUpliftPercent', problem: 'must not be negative' },
      { field: 'rules[0].discountPercent', problem: 'must be between 0 and 100' },
      { field: 'rules[1].upliftPercent', problem: 'must not be negative' },
      { field: 'rules[2].fixedUnitPrice', problem: 'must be a decimal string such as "12.50"' },
      { field: 'rules[3].sku', problem: 'has another rule in this book' },
    ]);
  });

  it('accepts the edges: a 100 % discount, a zero uplift, a free fixed price', () => {
    const edges = book({
      defaultUpliftPercent: '0',
      rules: [
        { sku: 'RAM', kind: 'discount', discountPercent: '100' },
        { sku: 'VCPU', kind: 'fixed', fixedUnitPrice: '0' },
      ],
    });
    expect(() => assertValidPriceBookVersion(edges, { items })).not.toThrow();
  });

  it('refuses a rule for an item the catalog does not have', () => {
    const error = errorOf(() =>
      assertValidPriceBookVersion(
        book({
          rules: [
            { sku: 'RAM', kind: 'uplift', upliftPercent: '1' },
            { sku: 'GPU', kind: 'uplift', upliftPercent: '1' },
          ],
        }),
        { items },
      ),
    );
    expect([error.code, error.fields[0].field]).toEqual(['PRICING_UNKNOWN_SKU', 'rules[1].sku']);
    expect(errorOf(() => assertValidWholesalePrice({ sku: 'GPU', unitPrice: '1', effectiveFrom: '2026-01-01T00:00:00Z' }, { items })).code).toBe(
      'PRICING_UNKNOWN_SKU',
    );
  });

  it('refuses ranges that end before they start and dates without an offset', () => {
    const backwards = errorOf(() =>
      assertValidWholesalePrice({ sku: 'RAM', unitPrice: '1', effectiveFrom: '2026-10-02T00:00:00Z', effectiveTo: '2026-10-01T00:00:00Z' }, { items }),
    );
    expect([backwards.code, backwards.fields[0].field]).toEqual(['PRICING_INVALID_RANGE', 'effectiveTo']);
    const bare = errorOf(() =>
      assertValidClientOverride({ clientId: 'C1', sku: 'RAM', kind: 'fixed', fixedUnitPrice: '1', effectiveFrom: '2026-10-01' }, { items }),
    );
    expect([bare.code, bare.fields[0].field]).toEqual(['PRICING_INVALID_RANGE', 'effectiveFrom']);
  });

  it('checks catalog items', () => {
    const error = errorOf(() => assertValidCatalogItem({ sku: ' ', name: 'GPU', category: 'gpu' as never, unit: 'card' }));
    expect([error.code, error.fields.map((f) => f.field)]).toEqual(['PRICING_INVALID_ITEM', ['sku', 'category']]);
  });
});

describe('validatePricingContext', () => {
  it('finds nothing wrong with the example chain', () => {
    expect(validatePricingContext(threeTierChain())).toEqual([]);
  });

  it('reports every problem of a loaded context, named from its root', () => {
    const context = threeTierChain();
    const broken: PricingContext = {
      ...context,
      catalog: {
        ...context.catalog,
        items: [...context.catalog.items, { sku: 'RAM', name: 'Memory again', category: 'compute', unit: 'GB' }],
        prices: [...context.catalog.prices, { sku: 'RAM', unitPrice: '3', effectiveFrom: '2026-06-01T00:00:00Z' }],
      },
      priceBooks: [...context.priceBooks, book({ rules: [{ sku: 'GPU', kind: 'discount', discountPercent: '101' }] })],
    };
    expect(validatePricingContext(broken).map((e) => [e.code, e.fields.map((f) => f.field)])).toEqual([
      ['PRICING_INVALID_ITEM', ['catalog.items[6].sku']],
      ['PRICING_INVALID_RULE', ['priceBooks[3].rules[0].discountPercent']],
      ['PRICING_UNKNOWN_SKU', ['priceBooks[3].rules[0].sku']],
      ['PRICING_OVERLAPPING_VERSIONS', ['catalog.prices[7].effectiveFrom']],
    ]);
  });
});
