import { parseDuration } from '@wholesail/domain';

/**
 * One typed, validated configuration read once at boot. Every host, port and secret comes from the
 * environment; nothing is hard-coded elsewhere. Defaults suit local development with `npm start`.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  publicUrl: string;
  /** Base URL of the web portal; applicants' e-mailed links open its pages. */
  portalUrl: string;
  http: {
    /** Largest request body accepted (bytes); a larger one is a 413. */
    bodyLimitBytes: number;
    /** Deepest nesting of objects and arrays in a JSON body; a deeper one is a 400. */
    bodyMaxDepth: number;
    /** Express's `trust proxy`: false, true, a hop count, or addresses/subnets (e.g. "loopback, 10.0.0.0/8"). */
    trustProxy: boolean | number | string;
    /** Serve the OpenAPI document and Swagger UI at /docs and /docs-json. */
    docsEnabled: boolean;
  };
  /** Failed sign-ins: counted per account and per client address; past the limit, blocked with backoff. */
  login: {
    maxFailuresPerAccount: number;
    maxFailuresPerAddress: number;
    /** The window failures are counted in (ms). */
    failureWindowMs: number;
    /** The first block (ms); each further block of the same key within a day doubles it ... */
    blockBaseMs: number;
    /** ... up to this (ms). */
    blockMaxMs: number;
  };
  idempotency: {
    /** How long a request waits for a concurrent twin with the same Idempotency-Key (ms). */
    waitMs: number;
    /** A claim older than this is abandoned (its request died) and may be taken over (ms). */
    leaseMs: number;
  };
  databaseUrl: string;
  databasePoolMax: number;
  temporal: { address: string; namespace: string; taskQueue: string };
  smtpUrl: string;
  mailFrom: string;
  jwt: { secret: string; ttlSeconds: number };
  /** Encrypts secrets at rest (hypervisor credentials): AES-256-GCM under a key derived from it. */
  secretsKey: string;
  operatorTimeZone: string;
  billing: {
    /**
     * The first billing period (`YYYY-MM`) Wholesail bills: while no period is finalised,
     * versioned records may be dated back to its start. Null: the previous month (see
     * EffectiveDatePolicy).
     */
    goLiveFrom: string | null;
    /** Finance is reminded of a run awaiting approval every this long (Temporal duration string). */
    approvalReminderEvery: string;
    /** A run's approval (and the wait for a re-rate after changes were requested) expires after this long. */
    approvalExpiresAfter: string;
    /** Clients per page of a run (one activity of set-based SQL per page). */
    pageSize: number;
    /** Usage segments rated and written at a time within a page (one transaction each, whole clients). */
    sliceSize: number;
    /** Documents a run e-mails at once. */
    emailConcurrency: number;
    /** Where payout invoices are e-mailed; the operator's billing e-mail when null. */
    financeEmail: string | null;
    /** How long `POST /billing/runs` with `dryRun` waits for the figures before answering 202 (seconds). */
    dryRunWaitSeconds: number;
  };
  onboarding: {
    /** Reminder interval for every wait of the onboarding process (Temporal duration string). */
    reminderEvery: string;
    /** How long each wait may last before the application expires. */
    expiresAfter: string;
    /** Operator approval: any one operator-admin, or all of them. */
    operatorApproval: 'any' | 'all';
    /** Lifetime of the new admin's one-time invitation link. */
    invitationTtlHours: number;
  };
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  provisioning: {
    /** Failures injected into provisioning activities (PROVISIONING_FAULTS); only ever set when NODE_ENV=test. */
    faults: ProvisioningFault[];
  };
}

/**
 * A failure injected into one provisioning activity for one resource key, for tests only:
 * `fail` refuses before the work, `fail-after` after it (non-retryable), `transient` fails once
 * after the work with a retryable error, `stall` hangs after the work until the process is killed.
 */
export interface ProvisioningFault {
  activity: string;
  key: string;
  mode: ProvisioningFaultMode;
}
export const PROVISIONING_FAULT_MODES = ['fail', 'fail-after', 'transient', 'stall'] as const;
export type ProvisioningFaultMode = (typeof PROVISIONING_FAULT_MODES)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const str = (name: string, fallback?: string): string => {
    const value = env[name]?.trim();
    if (value) return value;
    if (fallback !== undefined) return fallback;
    problems.push(`${name} is required`);
    return '';
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const url = (name: string, fallback: string, protocols: string[]): string => {
    const value = str(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return value;
  };

  const nodeEnv = oneOf('NODE_ENV', 'development', ['development', 'test', 'production'] as const);
  const port = int('PORT', 3000, 0, 65535);
  const jwtSecret = str('JWT_SECRET', nodeEnv === 'production' ? undefined : 'wholesail-development-secret-change-me');
  if (nodeEnv === 'production' && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters in production');
  const secretsKey = str('SECRETS_KEY', nodeEnv === 'production' ? undefined : 'wholesail-development-secrets-key-change-me');
  if (nodeEnv === 'production' && secretsKey.length < 32) problems.push('SECRETS_KEY must be at least 32 characters in production');

  const timeZone = str('OPERATOR_TIMEZONE', 'UTC');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`OPERATOR_TIMEZONE "${timeZone}" is not an IANA time zone`);
  }

  const goLiveFrom = env.BILLING_GO_LIVE_FROM?.trim() || null;
  if (goLiveFrom !== null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(goLiveFrom))
    problems.push(`BILLING_GO_LIVE_FROM must be a month as YYYY-MM, e.g. 2026-11 (got "${goLiveFrom}")`);
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };
  const durationMs = (name: string, fallback: string): number => {
    const value = str(name, fallback);
    try {
      return parseDuration(value, name);
    } catch {
      problems.push(`${name} must be a duration such as "30s", "15 minutes" or "3 days" (got "${value}")`);
      return parseDuration(fallback, name);
    }
  };
  const trustProxy = (): boolean | number | string => {
    const raw = env.TRUST_PROXY?.trim();
    if (!raw || ['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    if (raw.toLowerCase() === 'true') return true;
    if (/^\d+$/.test(raw)) return Number(raw);
    return raw;
  };

  // The workflows read these with the same parseDuration (the `ms` grammar Temporal uses), so a
  // value that passes here is one the workflow accepts.
  const duration = (name: string, fallback: string): string => {
    const value = str(name, fallback);
    try {
      parseDuration(value, name);
    } catch {
      problems.push(`${name} must be a positive duration such as "30s", "15 minutes" or "3 days" (got "${value}")`);
    }
    return value;
  };

  const faults: ProvisioningFault[] = [];
  const faultSpec = env.PROVISIONING_FAULTS?.trim();
  if (faultSpec) {
    if (nodeEnv !== 'test') problems.push('PROVISIONING_FAULTS injects failures for tests and is honoured only when NODE_ENV=test');
    for (const item of faultSpec.split(',').map((part) => part.trim())) {
      const [activity, key, mode] = item.split(':');
      if (!activity || !key || !(PROVISIONING_FAULT_MODES as readonly string[]).includes(mode)) {
        problems.push(`PROVISIONING_FAULTS entries are <activity>:<resource key>:<${PROVISIONING_FAULT_MODES.join('|')}> (got "${item}")`);
      } else faults.push({ activity, key, mode: mode as ProvisioningFaultMode });
    }
  }

  const publicUrl = url('PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:']).replace(/\/$/, '');
  const config: AppConfig = {
    nodeEnv,
    port,
    publicUrl,
    portalUrl: url('PORTAL_URL', `${publicUrl}/portal`, ['http:', 'https:']).replace(/\/$/, ''),
    http: {
      bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
      bodyMaxDepth: int('BODY_MAX_DEPTH', 32, 4, 256),
      trustProxy: trustProxy(),
      docsEnabled: bool('DOCS_ENABLED', true),
    },
    login: {
      maxFailuresPerAccount: int('LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      maxFailuresPerAddress: int('LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 100_000),
      failureWindowMs: durationMs('LOGIN_FAILURE_WINDOW', '15 minutes'),
      blockBaseMs: durationMs('LOGIN_BLOCK_BASE', '1 minute'),
      blockMaxMs: durationMs('LOGIN_BLOCK_MAX', '1 hour'),
    },
    idempotency: {
      waitMs: durationMs('IDEMPOTENCY_WAIT', '15 seconds'),
      leaseMs: durationMs('IDEMPOTENCY_LEASE', '2 minutes'),
    },
    databaseUrl: url('DATABASE_URL', 'postgresql://postgres:postgres@127.0.0.1:54329/wholesail', ['postgres:', 'postgresql:']),
    databasePoolMax: int('DATABASE_POOL_MAX', 10, 1, 200),
    temporal: {
      address: str('TEMPORAL_ADDRESS', '127.0.0.1:7233'),
      namespace: str('TEMPORAL_NAMESPACE', 'default'),
      taskQueue: str('TEMPORAL_TASK_QUEUE', 'wholesail'),
    },
    smtpUrl: url('SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp:', 'smtps:']),
    mailFrom: str('MAIL_FROM', 'Wholesail <no-reply@wholesail.local>'),
    jwt: { secret: jwtSecret, ttlSeconds: int('JWT_TTL_SECONDS', 900, 60, 86_400) },
    secretsKey,
    operatorTimeZone: timeZone,
    billing: {
      goLiveFrom,
      approvalReminderEvery: duration('BILLING_APPROVAL_REMINDER_EVERY', '1 day'),
      approvalExpiresAfter: duration('BILLING_APPROVAL_EXPIRES_AFTER', '7 days'),
      pageSize: int('BILLING_PAGE_SIZE', 2000, 1, 50_000),
      sliceSize: int('BILLING_SLICE_SIZE', 2000, 1, 50_000),
      emailConcurrency: int('BILLING_EMAIL_CONCURRENCY', 8, 1, 200),
      financeEmail: env.BILLING_FINANCE_EMAIL?.trim() || null,
      dryRunWaitSeconds: int('BILLING_DRY_RUN_WAIT_SECONDS', 60, 0, 3600),
    },
    onboarding: {
      reminderEvery: duration('ONBOARDING_REMINDER_EVERY', '2 days'),
      expiresAfter: duration('ONBOARDING_EXPIRES_AFTER', '14 days'),
      operatorApproval: oneOf('ONBOARDING_OPERATOR_APPROVAL', 'any', ['any', 'all'] as const),
      invitationTtlHours: int('INVITATION_TTL_HOURS', 168, 1, 24 * 90),
    },
    logLevel: oneOf('LOG_LEVEL', 'log', ['error', 'warn', 'log', 'debug', 'verbose'] as const),
    provisioning: { faults },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
