import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';

/** What claiming a key found. */
export type ClaimOutcome =
  /** This request holds the key: run the work, then `complete` or `release`. */
  | { kind: 'claimed'; claimToken: string }
  /** The work ran before: answer with its response. */
  | { kind: 'done'; status: number; body: unknown }
  /** The key belongs to a different request (another body or route). */
  | { kind: 'mismatch' }
  /** A twin still holds the key after the wait: try again later. */
  | { kind: 'busy' };

export interface ClaimRequest {
  principal: string;
  key: string;
  route: string;
  requestHash: string;
  /** How long to wait for a twin holding the key. */
  waitMs: number;
  /** How long this claim lasts before it counts as abandoned and another request may take it over. */
  leaseMs: number;
}

interface Row {
  id: string;
  request_hash: string;
  state: 'in-progress' | 'done';
  claim_token: string | null;
  expired: boolean;
  response_status: number | null;
  response_body: unknown;
}

/**
 * Idempotency keys claimed in PostgreSQL before the work runs (as Stripe's keys behave): the
 * unique (principal, key) row decides who runs the work. A twin that finds the key in progress
 * waits (polling with backoff, bounded by `waitMs`) for the response; a claim whose lease ran out
 * (the process died) is taken over. Only the holder of a claim completes or releases it.
 */
export class IdempotencyClaims {
  constructor(private readonly em: EntityManager) {}

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const deadline = Date.now() + request.waitMs;
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      const claimToken = randomUUID();
      const inserted = await this.execute<{ id: string }>(
        `insert into idempotency_record (id, created_at, updated_at, principal, key, route, request_hash, state, claim_token, locked_until)
         values (?, now(), now(), ?, ?, ?, ?, 'in-progress', ?, now() + ? * interval '1 millisecond')
         on conflict (principal, key) do nothing returning id`,
        [randomUUID(), request.principal, request.key, request.route, request.requestHash, claimToken, request.leaseMs],
      );
      if (inserted.length) return { kind: 'claimed', claimToken };

      const [row] = await this.execute<Row>(
        `select id, request_hash, state, claim_token, locked_until < now() as expired, response_status, response_body
         from idempotency_record where principal = ? and key = ?`,
        [request.principal, request.key],
      );
      if (!row) continue; // released between the two statements: claim it now
      if (row.request_hash !== request.requestHash) return { kind: 'mismatch' };
      if (row.state === 'done') return { kind: 'done', status: row.response_status ?? 200, body: row.response_body ?? null };
      if (row.expired) {
        const taken = await this.execute<{ id: string }>(
          `update idempotency_record set claim_token = ?, locked_until = now() + ? * interval '1 millisecond', updated_at = now()
           where id = ? and state = 'in-progress' and claim_token is not distinct from ? returning id`,
          [claimToken, request.leaseMs, row.id, row.claim_token],
        );
        if (taken.length) return { kind: 'claimed', claimToken };
        continue;
      }
      if (Date.now() + pause > deadline) return { kind: 'busy' };
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** Stores the response of the work; a claim taken over meanwhile is left to its new holder. */
  async complete(principal: string, key: string, claimToken: string, status: number, body: unknown): Promise<void> {
    await this.execute(
      `update idempotency_record set state = 'done', response_status = ?, response_body = ?::jsonb, claim_token = null, locked_until = null, updated_at = now()
       where principal = ? and key = ? and claim_token = ?`,
      [status, JSON.stringify(body ?? null), principal, key, claimToken],
    );
  }

  /** Gives the key up (the work failed in a way worth retrying): the next request with it runs the work. */
  async release(principal: string, key: string, claimToken: string): Promise<void> {
    await this.execute(`delete from idempotency_record where principal = ? and key = ? and claim_token = ? and state = 'in-progress'`, [
      principal,
      key,
      claimToken,
    ]);
  }

  private execute<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params, 'all');
  }
}
