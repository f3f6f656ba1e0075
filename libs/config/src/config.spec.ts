import { msToNumber, type Duration } from '@temporalio/common';
import { parseDuration } from '@wholesail/domain';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies development defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.temporal.taskQueue).toBe('wholesail');
    expect(config.databaseUrl).toMatch(/^postgresql:/);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', OPERATOR_TIMEZONE: 'Mars/Base' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('OPERATOR_TIMEZONE');
  });

  it('reads onboarding timings and refuses a malformed duration', () => {
    expect(loadConfig({ ONBOARDING_REMINDER_EVERY: '2s', ONBOARDING_EXPIRES_AFTER: '10 seconds' }).onboarding).toMatchObject({
      reminderEvery: '2s',
      expiresAfter: '10 seconds',
      operatorApproval: 'any',
    });
    expect(() => loadConfig({ ONBOARDING_EXPIRES_AFTER: 'soon' })).toThrow(/ONBOARDING_EXPIRES_AFTER/);
    expect(() => loadConfig({ ONBOARDING_REMINDER_EVERY: '0s' })).toThrow(/ONBOARDING_REMINDER_EVERY must be a positive duration/);
    expect(() => loadConfig({ ONBOARDING_OPERATOR_APPROVAL: 'some' })).toThrow(/ONBOARDING_OPERATOR_APPROVAL/);
  });

  it('reads the billing go-live month and refuses anything but YYYY-MM', () => {
    expect(loadConfig({}).billing.goLiveFrom).toBeNull();
    expect(loadConfig({ BILLING_GO_LIVE_FROM: '2026-06' }).billing.goLiveFrom).toBe('2026-06');
    expect(() => loadConfig({ BILLING_GO_LIVE_FROM: '2026-13' })).toThrow(/BILLING_GO_LIVE_FROM must be a month as YYYY-MM/);
    expect(() => loadConfig({ BILLING_GO_LIVE_FROM: '2026-06-01' })).toThrow(/BILLING_GO_LIVE_FROM/);
  });

  it('reads durations in the grammar of Temporal timers, to the same millisecond', () => {
    for (const text of ['1s', '30s', '2.5 s', '15 minutes', '1 hour', '1.5h', '1 day', '2 days', '14 days', '1w', '250']) {
      const { onboarding } = loadConfig({ ONBOARDING_EXPIRES_AFTER: text });
      expect(parseDuration(onboarding.expiresAfter)).toBe(msToNumber(text as Duration));
    }
  });

  it('requires a strong JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
  });

  it('reads the HTTP, portal, login and idempotency settings with their defaults', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://api.example.com/' });
    expect(config.portalUrl).toBe('https://api.example.com/portal');
    expect(config.http).toEqual({ bodyLimitBytes: 1_048_576, bodyMaxDepth: 32, trustProxy: false, docsEnabled: true });
    expect(config.login).toEqual({ maxFailuresPerAccount: 5, maxFailuresPerAddress: 50, failureWindowMs: 900_000, blockBaseMs: 60_000, blockMaxMs: 3_600_000 });
    expect(config.idempotency).toEqual({ waitMs: 15_000, leaseMs: 120_000 });
    const custom = loadConfig({ PORTAL_URL: 'https://portal.example.com/', DOCS_ENABLED: 'false', TRUST_PROXY: '1', LOGIN_BLOCK_BASE: '30s' });
    expect([custom.portalUrl, custom.http.docsEnabled, custom.http.trustProxy, custom.login.blockBaseMs]).toEqual([
      'https://portal.example.com',
      false,
      1,
      30_000,
    ]);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => loadConfig({ DOCS_ENABLED: 'maybe', LOGIN_FAILURE_WINDOW: 'soon', PORTAL_URL: 'ftp://x' })).toThrow(
      /DOCS_ENABLED[\s\S]*PORTAL_URL|PORTAL_URL[\s\S]*DOCS_ENABLED/,
    );
  });

  it('requires a strong secrets key in production and has a development default otherwise', () => {
    const jwt = { JWT_SECRET: 'x'.repeat(40) };
    expect(() => loadConfig({ NODE_ENV: 'production', ...jwt })).toThrow(/SECRETS_KEY is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', ...jwt, SECRETS_KEY: 'short' })).toThrow(/SECRETS_KEY must be at least 32/);
    expect(loadConfig({ NODE_ENV: 'production', ...jwt, SECRETS_KEY: 'k'.repeat(32) }).secretsKey).toBe('k'.repeat(32));
    expect(loadConfig({}).secretsKey.length).toBeGreaterThanOrEqual(32);
  });
});
