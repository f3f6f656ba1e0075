import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { NumberDocumentsInput, NumberDocumentsResult } from '@wholesail/contracts';
import { documentNumber, type DocumentSeries } from '@wholesail/domain';

/**
 * Gap-free numbering per issuer and series. In ONE transaction: the issuers' counters are created
 * if missing and locked (`for update`), their drafts read after the lock (so a concurrent numbering
 * of the same issuer, which waited, sees what the first numbered), numbered from the counter on,
 * stamped final, and the counters advanced. A crash or a failed attempt rolls everything back: no
 * number is burnt, none used twice (a unique index on issuer, series and sequence says so too).
 */
@Injectable()
export class BillingNumbering {
  constructor(private readonly em: EntityManager) {}

  /** Numbers the drafts of the run's next `limit` issuers (id order) after `afterIssuerId`. */
  async numberDocuments(input: NumberDocumentsInput): Promise<NumberDocumentsResult> {
    const result = await this.em.fork().transactional(async (tx) => {
      const issuers: Array<{ issuer_id: string }> = await tx.execute(
        `select distinct issuer_id from billing_document
          where run_id = ? and round = ? and status = 'draft' and (?::uuid is null or issuer_id > ?::uuid)
          order by issuer_id limit ?`,
        [input.runId, input.round, input.afterIssuerId, input.afterIssuerId, input.limit],
      );
      if (issuers.length === 0) return { issuers: 0, numbered: 0, lastIssuerId: null };
      const ids = JSON.stringify(issuers.map((i) => i.issuer_id));
      return { issuers: issuers.length, numbered: await this.numberIssuers(tx, ids, input), lastIssuerId: issuers[issuers.length - 1].issuer_id };
    });
    const [{ count }]: Array<{ count: string }> = await this.em
      .fork()
      .execute(`select count(*) as count from billing_document where run_id = ? and status = 'final'`, [input.runId]);
    return { ...result, documentsFinal: Number(count) };
  }

  /** Within the caller's transaction: numbers every draft of the run by these issuers (a JSON list of ids). */
  private async numberIssuers(tx: EntityManager, issuerIds: string, input: NumberDocumentsInput): Promise<number> {
    const inIssuers = `(select value::uuid from json_array_elements_text(?::json))`;
    await tx.execute(
      `insert into billing_number_counter (issuer_id, series, last_sequence, updated_at)
       select distinct issuer_id, series, 0, now() from billing_document where run_id = ? and round = ? and status = 'draft' and issuer_id in ${inIssuers}
       on conflict do nothing`,
      [input.runId, input.round, issuerIds],
      'run',
    );
    const counters: Array<{ issuer_id: string; series: DocumentSeries; last_sequence: number }> = await tx.execute(
      `select issuer_id, series, last_sequence from billing_number_counter where issuer_id in ${inIssuers} order by issuer_id, series for update`,
      [issuerIds],
    );
    // Read after the lock: drafts a concurrent numbering finished meanwhile are final now, and left out.
    const drafts: Array<{ id: string; issuer_id: string; series: DocumentSeries; code: string }> = await tx.execute(
      `select id, issuer_id, series, issuer_snapshot ->> 'code' as code from billing_document
        where run_id = ? and round = ? and status = 'draft' and issuer_id in ${inIssuers}
        order by issuer_id, series, kind, recipient_snapshot ->> 'name', id`,
      [input.runId, input.round, issuerIds],
    );
    if (drafts.length === 0) return 0;
    const next = new Map(counters.map((c) => [`${c.issuer_id}|${c.series}`, Number(c.last_sequence)]));
    const now = new Date().toISOString();
    const stamped = drafts.map((d) => {
      const key = `${d.issuer_id}|${d.series}`;
      const sequence = (next.get(key) ?? 0) + 1;
      next.set(key, sequence);
      return { id: d.id, sequence, number: documentNumber(d.code, d.series, sequence), at: now };
    });
    const updated = await tx.execute<{ affectedRows: number }>(
      `update billing_document d set status = 'final', sequence = n.sequence, number = n.number, issued_at = n.at, finalised_at = n.at, updated_at = n.at
         from json_to_recordset(?::json) as n(id uuid, sequence int, number text, at timestamptz) where d.id = n.id and d.status = 'draft'`,
      [JSON.stringify(stamped)],
      'run',
    );
    // Every draft read under the lock is still a draft: anything else means the lock did not hold.
    if (updated.affectedRows !== stamped.length) throw new Error(`numbering changed ${updated.affectedRows} of ${stamped.length} drafts: retrying`);
    await tx.execute(
      `update billing_number_counter c set last_sequence = x.last_sequence, updated_at = now()
         from json_to_recordset(?::json) as x(issuer_id uuid, series text, last_sequence int) where c.issuer_id = x.issuer_id and c.series = x.series`,
      [JSON.stringify([...next].map(([key, last]) => ({ issuer_id: key.split('|')[0], series: key.split('|')[1], last_sequence: last })))],
      'run',
    );
    await tx.execute(
      `update billing_run set documents_final = (select count(*) from billing_document where run_id = ? and status = 'final'), updated_at = now() where id = ?`,
      [input.runId, input.runId],
      'run',
    );
    return stamped.length;
  }
}
