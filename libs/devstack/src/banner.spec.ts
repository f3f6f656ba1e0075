import { renderBanner } from './banner';

describe('renderBanner', () => {
  const input = {
    readySeconds: 6.25,
    apiUrl: 'http://localhost:3000',
    temporalUiUrl: 'http://127.0.0.1:8233',
    mailInboxUrl: 'http://127.0.0.1:8025',
    databaseUrl: 'postgres://postgres:postgres@127.0.0.1:54329/wholesail',
    signIns: [
      { email: 'admin@wholesail.demo', role: 'operator-admin', password: 'wholesail-demo' },
      { email: 'user@umbrella.demo', role: 'client-user', password: 'wholesail-demo' },
    ],
    moreUsers: 7,
  };

  it('lists where to open everything and a table of demo sign-ins', () => {
    const lines = renderBanner(input).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '  Wholesail is running (ready in 6.3 s)',
        '  API           http://localhost:3000',
        '  API docs      http://localhost:3000/docs',
        '  Health        http://localhost:3000/health',
        '  Temporal UI   http://127.0.0.1:8233',
        '  Mail inbox    http://127.0.0.1:8025',
        '    e-mail                role            password',
        '    admin@wholesail.demo  operator-admin  wholesail-demo',
        '    user@umbrella.demo    client-user     wholesail-demo',
        '    (7 more demo users: README, "Demo users")',
      ]),
    );
    expect(lines.some((line) => line.includes('Portal'))).toBe(false);
  });

  it('shows the portal first when one is configured, and leaves out what is not running', () => {
    const banner = renderBanner({ ...input, portalUrl: 'http://localhost:5173', temporalUiUrl: undefined, moreUsers: 0 });
    const lines = banner.split('\n');
    expect(lines.findIndex((line) => line.startsWith('  Portal'))).toBeLessThan(lines.findIndex((line) => line.startsWith('  API ')));
    expect(banner).toContain('  Portal        http://localhost:5173');
    expect(banner).not.toContain('Temporal UI');
    expect(banner).not.toContain('more demo users');
  });
});
