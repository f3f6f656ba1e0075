import { errorOf } from '../testing/error-of';
import { PricingContext } from './pricing-context';
import { priceUsage, resolveProratedPrice } from './proration';
import { PRICE_CHANGE, threeTierChain } from './testing/three-tier-chain';
import { PriceWaterfall } from './waterfall';

const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' }; // 31 days = 2,678,400 s
const FIVE_DAYS = 432_000n;

const amounts = (w: PriceWaterfall) => [w.wholesaleAmount, ...w.tiers.map((t) => t.saleAmount)].map(String);
const margins = (w: PriceWaterfall) => w.tiers.map((t) => t.margin.toString());

describe('proration', () => {
  const context = threeTierChain();

  it('charges the exact share of the period, rounded once per amount', () => {
    // 5/31 of a month: 10.00 → 1.6129… → 1.61; 11.00 → 1.7741… → 1.77; 13.75 → 2.2177… → 2.22.
    const w = resolveProratedPrice(context, { sku: 'VCPU', quantity: '1', at: '2026-10-10T00:00:00Z', secondsExisted: FIVE_DAYS, secondsInPeriod: '2678400' });
    expect(amounts(w)).toEqual(['1.61', '1.77', '2.22']);
    expect(margins(w)).toEqual(['0.16', '0.45']);
    expect(w.share).toEqual({ secondsExisted: '432000', secondsInPeriod: '2678400' });
    // The unit prices are the monthly ones; only the amounts are prorated.
    expect(w.clientUnitPrice.toString()).toBe('13.75');
  });

  it('splits usage across a mid-month price change and prices each part at its own prices', () => {
    const segments = priceUsage(context, { sku: 'VCPU', quantity: '1', from: '2026-10-10T00:00:00Z', to: '2026-10-20T00:00:00Z', period: OCTOBER });
    expect(segments.map((s) => [s.from.toISOString(), s.to.toISOString()])).toEqual([
      ['2026-10-10T00:00:00.000Z', '2026-10-15T00:00:00.000Z'],
      ['2026-10-15T00:00:00.000Z', '2026-10-20T00:00:00.000Z'],
    ]);
    const [before, after] = segments.map((s) => s.waterfall);
    expect(amounts(before)).toEqual(['1.61', '1.77', '2.22']);
    // 5/31 at 12.00 → 1.9354… → 1.94; 13.20 → 2.1290… → 2.13; 16.50 → 2.6612… → 2.66.
    expect(amounts(after)).toEqual(['1.94', '2.13', '2.66']);
    expect(margins(after)).toEqual(['0.19', '0.53']);
    expect(after.share).toEqual({ secondsExisted: '432000', secondsInPeriod: '2678400' });
  });

  it('splits at the client’s reseller’s book change, not at books that do not price this client', () => {
    const withChanges: PricingContext = {
      ...context,
      priceBooks: [
        ...context.priceBooks.map((book) => (book.id === 'pb-r2-clients' ? { ...book, effectiveTo: '2026-10-25T00:00:00Z' } : book)),
        { id: 'pb-r2-clients-2', resellerId: 'R2', audience: 'clients', effectiveFrom: '2026-10-25T00:00:00Z', defaultUpliftPercent: '30', rules: [] },
        // R2's book for its own sub-resellers plays no part in C1's price.
        { id: 'pb-r2-sub', resellerId: 'R2', audience: 'subResellers', effectiveFrom: '2026-10-05T00:00:00Z', defaultUpliftPercent: '5', rules: [] },
      ],
    };
    const segments = priceUsage(withChanges, { sku: 'IP', quantity: '1', from: OCTOBER.start, to: OCTOBER.end, period: OCTOBER });
    expect(segments.map((s) => s.from.toISOString())).toEqual(['2026-10-01T00:00:00.000Z', '2026-10-25T00:00:00.000Z']);
    expect(segments.map((s) => s.waterfall.clientUnitPrice.toString())).toEqual(['3.50625', '3.6465']);
  });

  it('prices a whole month as one line equal to the monthly price', () => {
    const [only, ...rest] = priceUsage(context, { sku: 'RAM', quantity: '16', from: OCTOBER.start, to: OCTOBER.end, period: OCTOBER });
    expect(rest).toEqual([]);
    expect(only.waterfall.clientAmount.toString()).toBe('50.40');
  });

  it('counts whole seconds, dropping milliseconds at both ends', () => {
    const [only] = priceUsage(context, { sku: 'RAM', quantity: '1', from: '2026-10-01T00:00:00.900Z', to: '2026-10-01T00:00:10.100Z', period: OCTOBER });
    expect(only.waterfall.share).toEqual({ secondsExisted: '10', secondsInPeriod: '2678400' });
  });

  it('refuses usage outside its period and shares above one', () => {
    expect(errorOf(() => priceUsage(context, { sku: 'RAM', quantity: '1', from: '2026-09-30T00:00:00Z', to: PRICE_CHANGE, period: OCTOBER })).code).toBe(
      'PRICING_INVALID_PRORATION',
    );
    expect(errorOf(() => priceUsage(context, { sku: 'RAM', quantity: '1', from: PRICE_CHANGE, to: '2026-10-02T00:00:00Z', period: OCTOBER })).code).toBe(
      'PRICING_INVALID_PRORATION',
    );
    const tooMuch = { sku: 'RAM', quantity: '1', at: PRICE_CHANGE, secondsExisted: '11', secondsInPeriod: '10' };
    expect(errorOf(() => resolveProratedPrice(context, tooMuch)).code).toBe('PRICING_INVALID_PRORATION');
    expect(errorOf(() => resolveProratedPrice(context, { ...tooMuch, secondsExisted: '1.5' })).code).toBe('PRICING_INVALID_PRORATION');
  });
});
