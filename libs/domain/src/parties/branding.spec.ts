import { brandingOwner } from './branding';

describe('brandingOwner', () => {
  const operator = { id: 'op', kind: 'operator' as const };
  const distributor = { id: 'dist', kind: 'distributor' as const };
  const reseller = { id: 'res', kind: 'reseller' as const };
  const sub = { id: 'sub', kind: 'reseller' as const };

  it('gives a reseller its own brand, also under a distributor', () => {
    expect(brandingOwner([operator, reseller])).toBe('res');
    expect(brandingOwner([operator, distributor, reseller])).toBe('res');
  });

  it('gives a client its reseller’s brand, and a sub-reseller’s client the sub-reseller’s', () => {
    expect(brandingOwner([operator, distributor, reseller, { id: 'c', kind: 'client' }])).toBe('res');
    expect(brandingOwner([operator, reseller, sub, { id: 'c', kind: 'client' }])).toBe('sub');
    expect(brandingOwner([operator, reseller, sub])).toBe('sub');
  });

  it('gives the operator, distributors and agents the operator’s look', () => {
    expect(brandingOwner([operator])).toBeNull();
    expect(brandingOwner([operator, distributor])).toBeNull();
    expect(brandingOwner([operator, distributor, { id: 'agent', kind: 'agent' }])).toBeNull();
    expect(brandingOwner([])).toBeNull();
  });
});
