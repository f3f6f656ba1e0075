import { PricingContext } from '../pricing-context';

/**
 * The hand-computed example of the pricing specs: operator → reseller R1 → sub-reseller R2 →
 * client C1, in EUR. Test data only (not exported from the library).
 *
 * R1 sells to sub-resellers at a 10 % default uplift, with RAM at +20 %, IP at a 15 % discount
 * (off its list price cost × 1.10, which sells below cost) and the Windows licence at a fixed
 * 22.00. R2 sells to its clients at a 25 % default uplift, with storage at a 10 % discount. C1 has
 * negotiated RAM at R2's cost + 5 %. The vCPU's wholesale price rises from 10.00 to 12.00 at
 * 2026-10-15T00:00Z, in the middle of October.
 */
export const PRICE_CHANGE = '2026-10-15T00:00:00Z';

export function threeTierChain(): PricingContext {
  return {
    catalog: {
      currency: 'EUR',
      items: [
        { sku: 'VCPU', name: 'vCPU', category: 'compute', unit: 'vCPU' },
        { sku: 'RAM', name: 'Memory', category: 'compute', unit: 'GB' },
        { sku: 'STOR', name: 'Block storage', category: 'storage', unit: 'GB' },
        { sku: 'IP', name: 'Public IPv4', category: 'network', unit: 'IP' },
        { sku: 'WINLIC', name: 'Windows Server licence', category: 'licence', unit: 'licence' },
        { sku: 'OLDVM', name: 'Legacy VM template', category: 'service', unit: 'VM', retiredAt: '2026-09-01T00:00:00Z' },
      ],
      prices: [
        { id: 'wp-vcpu-1', sku: 'VCPU', unitPrice: '10.00', effectiveFrom: '2026-01-01T00:00:00Z', effectiveTo: PRICE_CHANGE },
        { id: 'wp-vcpu-2', sku: 'VCPU', unitPrice: '12.00', effectiveFrom: PRICE_CHANGE },
        { id: 'wp-ram', sku: 'RAM', unitPrice: '2.50', effectiveFrom: '2026-01-01T00:00:00Z' },
        { id: 'wp-stor', sku: 'STOR', unitPrice: '0.045', effectiveFrom: '2026-01-01T00:00:00Z' },
        { id: 'wp-ip', sku: 'IP', unitPrice: '3.00', effectiveFrom: '2026-01-01T00:00:00Z' },
        { id: 'wp-winlic', sku: 'WINLIC', unitPrice: '20.00', effectiveFrom: '2026-01-01T00:00:00Z' },
        { id: 'wp-oldvm', sku: 'OLDVM', unitPrice: '5.00', effectiveFrom: '2026-01-01T00:00:00Z' },
      ],
    },
    chain: { clientId: 'C1', resellerIds: ['R1', 'R2'] },
    priceBooks: [
      {
        id: 'pb-r1-sub',
        resellerId: 'R1',
        audience: 'subResellers',
        effectiveFrom: '2026-01-01T00:00:00Z',
        defaultUpliftPercent: '10',
        rules: [
          { sku: 'RAM', kind: 'uplift', upliftPercent: '20' },
          { sku: 'IP', kind: 'discount', discountPercent: '15' },
          { sku: 'WINLIC', kind: 'fixed', fixedUnitPrice: '22.00' },
        ],
      },
      // R1's book for its own clients does not apply to C1 (C1 is R2's client).
      { id: 'pb-r1-clients', resellerId: 'R1', audience: 'clients', effectiveFrom: '2026-01-01T00:00:00Z', defaultUpliftPercent: '50', rules: [] },
      {
        id: 'pb-r2-clients',
        resellerId: 'R2',
        audience: 'clients',
        effectiveFrom: '2026-01-01T00:00:00Z',
        defaultUpliftPercent: '25',
        rules: [{ sku: 'STOR', kind: 'discount', discountPercent: '10' }],
      },
    ],
    clientOverrides: [{ id: 'co-c1-ram', clientId: 'C1', sku: 'RAM', kind: 'uplift', upliftPercent: '5', effectiveFrom: '2026-01-01T00:00:00Z' }],
  };
}
