/**
 * Pricing engine throughput and memory: the hot path of quotes and month-end rating.
 * Prices bills of materials over a reseller chain of a given depth and prints lines/s and heap.
 * Run: `npm run bench` (after `npm run build`). Prints figures; asserts nothing.
 */
import { priceBillOfMaterials, type PricingContext } from '@wholesail/domain';

const SKUS = 40;
const DEPTHS = [1, 3, 5];
const LINES_PER_QUOTE = 50;
const QUOTES = 400;

function context(depth: number): PricingContext {
  const resellerIds = Array.from({ length: depth }, (_, i) => `R${i + 1}`);
  const items = Array.from({ length: SKUS }, (_, i) => ({ sku: `SKU-${i}`, name: `Item ${i}`, category: 'compute' as const, unit: 'unit' }));
  return {
    catalog: {
      currency: 'EUR',
      items,
      prices: items.flatMap((item, i) => [
        {
          sku: item.sku,
          unitPrice: `${(i % 17) + 1}.${String((i * 37) % 1000).padStart(3, '0')}`,
          effectiveFrom: '2026-01-01T00:00:00Z',
          effectiveTo: '2026-10-15T00:00:00Z',
        },
        { sku: item.sku, unitPrice: `${(i % 17) + 2}.125`, effectiveFrom: '2026-10-15T00:00:00Z' },
      ]),
    },
    chain: { clientId: 'C1', resellerIds },
    priceBooks: resellerIds.flatMap((resellerId, tier) => [
      {
        resellerId,
        audience: tier === depth - 1 ? ('clients' as const) : ('subResellers' as const),
        effectiveFrom: '2026-01-01T00:00:00Z',
        defaultUpliftPercent: `${10 + tier}.5`,
        rules: [
          { sku: 'SKU-1', kind: 'discount' as const, discountPercent: '12.5' },
          { sku: 'SKU-2', kind: 'fixed' as const, fixedUnitPrice: '99.99' },
          { sku: 'SKU-3', kind: 'uplift' as const, upliftPercent: '33.333' },
        ],
      },
    ]),
    clientOverrides: [{ clientId: 'C1', sku: 'SKU-4', kind: 'uplift', upliftPercent: '5', effectiveFrom: '2026-01-01T00:00:00Z' }],
  };
}

function run(depth: number): void {
  const ctx = context(depth);
  const lines = Array.from({ length: LINES_PER_QUOTE }, (_, i) => ({ sku: `SKU-${i % SKUS}`, quantity: `${(i % 9) + 1}.25` }));
  priceBillOfMaterials(ctx, { asOf: '2026-11-01T00:00:00Z', lines }); // warm-up
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  let total = '';
  for (let q = 0; q < QUOTES; q++) total = priceBillOfMaterials(ctx, { asOf: '2026-11-01T00:00:00Z', lines }).monthlyTotal;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const heapAfter = process.memoryUsage().heapUsed;
  const pricedLines = QUOTES * LINES_PER_QUOTE;
  console.log(
    `depth ${depth}: ${QUOTES} quotes × ${LINES_PER_QUOTE} lines in ${seconds.toFixed(2)} s → ${Math.round(pricedLines / seconds).toLocaleString('en')} lines/s, ` +
      `${((seconds / QUOTES) * 1000).toFixed(2)} ms/quote, heap Δ ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB (last total ${total})`,
  );
}

console.log(`pricing engine, Node ${process.version}`);
for (const depth of DEPTHS) run(depth);
