import { EntityManager } from '@mikro-orm/postgresql';
import { ExecutionContext, HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import { sha256 } from '@wholesail/auth';
import type { AppConfig } from '@wholesail/config';
import { normalizeEmail } from '@wholesail/domain';
import { ThrottleCounters } from '@wholesail/persistence';
import type { Request, Response } from 'express';

/** How long a key remembers the blocks it earned (each one doubles the next). */
const STRIKE_MEMORY_MS = 24 * 3_600_000;

type LoginThrottler = 'address' | 'account';

/** The counter of one throttler for one tracker (the client address, or the account's e-mail), hashed. */
function counterKey(throttler: LoginThrottler, tracker: string): string {
  return `login:${throttler}:${sha256(tracker)}`;
}

function accountOf(request: Request): string | undefined {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() !== '' ? normalizeEmail(email) : undefined;
}

/** The client address (behind proxies as TRUST_PROXY allows); IPv6 by its /64, as one host usually holds all of it. */
function addressOf(request: Request): string {
  return normalizeIp(request.ip ?? request.socket.remoteAddress ?? 'unknown');
}

/**
 * @nestjs/throttler's storage over the PostgreSQL counters, so every API instance shares them.
 * The throttler's block duration is the first block; the counters double it per block earned.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly counters: ThrottleCounters,
    private readonly blockMaxMs: number,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): ReturnType<ThrottlerStorage['increment']> {
    const hit = await this.counters.hit(key, {
      limit,
      windowMs: ttl,
      blockBaseMs: blockDuration,
      blockMaxMs: this.blockMaxMs,
      strikeMemoryMs: STRIKE_MEMORY_MS,
    });
    return { totalHits: hit.hits, timeToExpire: hit.windowEndsInSeconds, isBlocked: hit.blocked, timeToBlockExpire: hit.blockEndsInSeconds };
  }
}

/** Options for ThrottlerModule: failed sign-ins per client address and per account. */
export function loginThrottlerOptions(config: AppConfig, em: EntityManager): ThrottlerModuleOptions {
  const { maxFailuresPerAddress, maxFailuresPerAccount, failureWindowMs, blockBaseMs, blockMaxMs } = config.login;
  return {
    storage: new PostgresThrottlerStorage(new ThrottleCounters(em), blockMaxMs),
    setHeaders: false, // successes are refunded, so X-RateLimit-Remaining would mislead; 429s carry Retry-After
    throttlers: [
      { name: 'address', limit: maxFailuresPerAddress, ttl: failureWindowMs, blockDuration: blockBaseMs, getTracker: (req) => addressOf(req as Request) },
      {
        name: 'account',
        limit: maxFailuresPerAccount,
        ttl: failureWindowMs,
        blockDuration: blockBaseMs,
        getTracker: (req) => accountOf(req as Request) ?? '',
        // A body without an e-mail names no account (validation refuses it); the address still counts.
        skipIf: (context) => accountOf(context.switchToHttp().getRequest<Request>()) === undefined,
      },
    ],
  };
}

/**
 * Throttles `POST /auth/login` per client address and per account: every attempt counts until it
 * succeeds (a success is taken back, see LoginThrottle), and past the limit the key is blocked with
 * exponential backoff: 429 TOO_MANY_REQUESTS with Retry-After, without checking the password.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return counterKey(throttler as LoginThrottler, tracker);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const response = context.switchToHttp().getResponse<Response>();
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    response.setHeader('Retry-After', String(retryAfter));
    throw new HttpException(
      { code: 'TOO_MANY_REQUESTS', message: `too many failed sign-ins: try again in ${retryAfter} seconds` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Takes a successful sign-in back out of the counts: it is not an attempt to guess. */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('LoginThrottle');
  private readonly counters: ThrottleCounters;

  constructor(em: EntityManager) {
    this.counters = new ThrottleCounters(em);
  }

  /** The account's failures are forgotten; the address's count loses this attempt. Best effort. */
  async succeeded(request: Request): Promise<void> {
    const account = accountOf(request);
    try {
      await this.counters.refund(counterKey('address', addressOf(request)));
      if (account) await this.counters.forget(counterKey('account', account));
    } catch (error) {
      this.logger.warn(`could not take a successful sign-in out of the counts: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
