import { EntityManager } from '@mikro-orm/postgresql';

export interface ThrottleRule {
  /** Hits allowed in a window; the next one is refused and blocks the key. */
  limit: number;
  windowMs: number;
  /** The first block; each further block within `strikeMemoryMs` of the last doubles it ... */
  blockBaseMs: number;
  /** ... up to this. */
  blockMaxMs: number;
  strikeMemoryMs: number;
}

export interface ThrottleHit {
  /** Hits in the window, this one included (when it was counted). */
  hits: number;
  /** Seconds until the window ends. */
  windowEndsInSeconds: number;
  blocked: boolean;
  /** Seconds until the block ends (0 when not blocked). */
  blockEndsInSeconds: number;
}

interface Row {
  hits: number;
  window_ends_at: Date;
  blocked_until: Date | null;
  strikes: number;
  strikes_expire_at: Date | null;
  now: Date;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Rate-limit counters in PostgreSQL, so every API instance shares them. A hit is counted in one
 * transaction holding the key's row lock (concurrent hits of one key queue up, none is lost).
 * Past the limit the key is blocked with exponential backoff: blockBase × 2^(blocks earned within
 * the strike memory), at most blockMax; while blocked, hits are refused and not counted; after a
 * block the count starts afresh. Time is the database's, the same for every instance.
 */
export class ThrottleCounters {
  constructor(private readonly em: EntityManager) {}

  async hit(key: string, rule: ThrottleRule): Promise<ThrottleHit> {
    const result = await this.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      const run = <T>(sql: string, params: unknown[]) => connection.execute<T[]>(sql, params, 'all', em.getTransactionContext());
      await run(`insert into throttle_counter (key, hits, window_ends_at, strikes, updated_at) values (?, 0, now(), 0, now()) on conflict (key) do nothing`, [
        key,
      ]);
      const [row] = await run<Row>(
        `select hits, window_ends_at, blocked_until, strikes, strikes_expire_at, now() as now from throttle_counter where key = ? for update`,
        [key],
      );
      const now = new Date(row.now).getTime();
      const blockedUntil = row.blocked_until ? new Date(row.blocked_until).getTime() : 0;
      if (blockedUntil > now) {
        return { hits: row.hits, windowEndsInSeconds: seconds(blockedUntil - now), blocked: true, blockEndsInSeconds: seconds(blockedUntil - now) };
      }
      let windowEndsAt = new Date(row.window_ends_at).getTime();
      let hits = row.hits;
      if (windowEndsAt <= now) {
        hits = 0;
        windowEndsAt = now + rule.windowMs;
      }
      let strikes = row.strikes_expire_at && new Date(row.strikes_expire_at).getTime() > now ? row.strikes : 0;
      let strikesExpireAt = strikes ? new Date(row.strikes_expire_at!).getTime() : null;
      hits += 1;
      let blockEndsAt: number | null = null;
      if (hits > rule.limit) {
        const blockMs = Math.min(rule.blockBaseMs * 2 ** Math.min(strikes, 30), rule.blockMaxMs);
        blockEndsAt = now + blockMs;
        strikes += 1;
        strikesExpireAt = blockEndsAt + rule.strikeMemoryMs;
        hits = 0;
        windowEndsAt = blockEndsAt + rule.windowMs;
      }
      await run(
        `update throttle_counter set hits = ?, window_ends_at = ?, blocked_until = ?, strikes = ?, strikes_expire_at = ?, updated_at = now() where key = ?`,
        [
          hits,
          new Date(windowEndsAt),
          blockEndsAt === null ? null : new Date(blockEndsAt),
          strikes,
          strikesExpireAt === null ? null : new Date(strikesExpireAt),
          key,
        ],
      );
      return blockEndsAt === null
        ? { hits, windowEndsInSeconds: seconds(windowEndsAt - now), blocked: false, blockEndsInSeconds: 0 }
        : { hits: rule.limit + 1, windowEndsInSeconds: seconds(blockEndsAt - now), blocked: true, blockEndsInSeconds: seconds(blockEndsAt - now) };
    });
    if (Math.random() < 0.01) await this.sweep();
    return result;
  }

  /** Takes one hit back (it turned out not to count, e.g. a successful sign-in). */
  async refund(key: string): Promise<void> {
    await this.em.getConnection().execute(`update throttle_counter set hits = greatest(hits - 1, 0), updated_at = now() where key = ?`, [key]);
  }

  /** Forgets the key: its hits, and the blocks it earned. */
  async forget(key: string): Promise<void> {
    await this.em.getConnection().execute(`delete from throttle_counter where key = ?`, [key]);
  }

  /** Deletes counters that no longer matter: window over, not blocked, no strikes remembered. */
  async sweep(): Promise<void> {
    await this.em
      .getConnection()
      .execute(
        `delete from throttle_counter where window_ends_at < now() and (blocked_until is null or blocked_until < now()) and (strikes_expire_at is null or strikes_expire_at < now())`,
      );
  }
}
