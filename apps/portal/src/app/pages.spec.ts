import { homePath, navigationFor, PAGES } from './pages';

describe('role-aware navigation', () => {
  const labels = (roles: Parameters<typeof navigationFor>[0]) => navigationFor(roles).flatMap((g) => g.pages.map((p) => p.label));

  it('gives the operator every screen of its work', () => {
    expect(labels(['operator-admin'])).toEqual([
      'Approval inbox',
      'Decisions',
      'Solutions',
      'Applications',
      'Partner tree',
      'Clients',
      'Catalog',
      'Price books',
      'Billing runs',
      'Hosts',
      'E-mail outbox',
      'Settings',
    ]);
    // Finance reads the outbox too, but does not administer the organisation's settings.
    expect(labels(['operator-finance'])).toContain('E-mail outbox');
    expect(labels(['operator-finance'])).not.toContain('Settings');
  });

  it('gives an architect solutions, pricing and clients, a client user its inbox and its solutions', () => {
    expect(labels(['architect'])).toEqual(['Approval inbox', 'Solutions', 'Clients', 'Catalog', 'Price books']);
    expect(labels(['client-user'])).toEqual(['Approval inbox', 'Solutions', 'Invoices']);
    expect(labels(['agent'])).toEqual(['Approval inbox', 'Clients', 'Statements']);
  });

  it('gives statements to those paid out, invoices to those invoiced, billing runs to the operator only', () => {
    expect(labels(['distributor-admin'])).toContain('Statements');
    expect(labels(['distributor-admin'])).not.toContain('Invoices');
    expect(labels(['reseller-admin'])).toContain('Invoices');
    expect(labels(['reseller-admin'])).not.toContain('Statements');
    expect(labels(['operator-finance'])).toContain('Billing runs');
    for (const role of ['distributor-admin', 'reseller-admin', 'agent', 'architect', 'client-user'] as const)
      expect(labels([role])).not.toContain('Billing runs');
    expect(labels(['architect'])).not.toContain('Invoices');
  });

  it('never lists detail routes, and lands everyone on the inbox', () => {
    expect(navigationFor(['operator-admin']).flatMap((g) => g.pages.map((p) => p.path))).not.toContain('partners/:id');
    expect(navigationFor(['architect']).flatMap((g) => g.pages.map((p) => p.path))).not.toContain('solutions/:id/design');
    expect(homePath(['client-user'])).toBe('/inbox');
    expect(new Set(PAGES.map((p) => p.path)).size).toBe(PAGES.length);
  });
});
