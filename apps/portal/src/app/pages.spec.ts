import { homePath, navigationFor, PAGES } from './pages';

describe('role-aware navigation', () => {
  const labels = (roles: Parameters<typeof navigationFor>[0]) => navigationFor(roles).flatMap((g) => g.pages.map((p) => p.label));

  it('gives the operator every screen of its work', () => {
    expect(labels(['operator-admin'])).toEqual([
      'Approval inbox',
      'Decisions',
      'Applications',
      'Partner tree',
      'Clients',
      'Catalog',
      'Price books',
      'E-mail outbox',
      'Settings',
    ]);
    // Finance reads the outbox too, but does not administer the organisation's settings.
    expect(labels(['operator-finance'])).toContain('E-mail outbox');
    expect(labels(['operator-finance'])).not.toContain('Settings');
  });

  it('gives an architect pricing and clients, a client user only its inbox', () => {
    expect(labels(['architect'])).toEqual(['Approval inbox', 'Clients', 'Catalog', 'Price books']);
    expect(labels(['client-user'])).toEqual(['Approval inbox']);
    expect(labels(['agent'])).toEqual(['Approval inbox', 'Clients']);
  });

  it('never lists detail routes, and lands everyone on the inbox', () => {
    expect(navigationFor(['operator-admin']).flatMap((g) => g.pages.map((p) => p.path))).not.toContain('partners/:id');
    expect(homePath(['client-user'])).toBe('/inbox');
    expect(new Set(PAGES.map((p) => p.path)).size).toBe(PAGES.length);
  });
});
