import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { BillingAgreementRef, BillingDocument, BillingDocumentLine, BillingLineKind } from '@wholesail/contracts';
import { BillingRunErrorCode, DomainError, Money } from '@wholesail/domain';
import { plainDecimal } from '@wholesail/persistence';

/** A `billing_document` row as the database returns it. */
export interface DocumentRow {
  id: string;
  run_id: string;
  round: number;
  period: string;
  kind: BillingDocument['kind'];
  status: BillingDocument['status'];
  series: BillingDocument['series'];
  issuer_id: string;
  recipient_id: string;
  issuer_snapshot: BillingDocument['issuer'];
  recipient_snapshot: BillingDocument['recipient'];
  currency: string;
  number: string | null;
  sequence: number | null;
  issued_at: Date | null;
  finalised_at: Date | null;
  deliver_to: string | null;
  agreements: BillingAgreementRef[];
  corrects_document_id: string | null;
  line_count: number;
  gross: string;
  deductions: string;
  total: string;
  created_at: Date;
}

/**
 * Billing documents as the plain JSON of libs/contracts (`BillingDocument`): what the API returns
 * and what the e-mail renders. Amounts print with the currency's minor digits, never re-rounded.
 */
@Injectable()
export class BillingDocumentReader {
  constructor(private readonly em: EntityManager) {}

  /** The document with its lines in order; BILLING_DOCUMENT_NOT_FOUND (404) when there is none. */
  async document(id: string, em: EntityManager = this.em.fork()): Promise<BillingDocument> {
    const row = await this.row(id, em);
    if (!row) throw notFound(id);
    const lines: Array<Record<string, any>> = await em.execute(`select * from billing_document_line where document_id = ? order by sort_key, id`, [id]);
    return toDocument(row, lines);
  }

  /** The document without its lines (what an e-mail's envelope needs); BILLING_DOCUMENT_NOT_FOUND when there is none. */
  async header(id: string): Promise<Omit<BillingDocument, 'lines'>> {
    const row = await this.row(id);
    if (!row) throw notFound(id);
    return documentHeader(row);
  }

  /**
   * The document's lines in order, `pageSize` at a time (keyset pages: a wholesale invoice may have
   * many thousands of lines, never all in memory); positions run on across pages.
   */
  async *linePages(id: string, pageSize: number): AsyncIterable<readonly BillingDocumentLine[]> {
    const row = await this.row(id);
    if (!row) throw notFound(id);
    let after: { sortKey: string; id: string } | null = null;
    for (let position = 0; ;) {
      const lines: Array<Record<string, any>> = await this.em
        .fork()
        .execute(
          `select * from billing_document_line where document_id = ? and (?::text is null or (sort_key, id) > (?::text, ?::uuid)) order by sort_key, id limit ?`,
          [id, after?.sortKey ?? null, after?.sortKey ?? null, after?.id ?? null, pageSize],
        );
      if (lines.length === 0) return;
      yield lines.map((line) => toLine(line, ++position, row.currency));
      const last = lines[lines.length - 1];
      after = { sortKey: last.sort_key, id: last.id };
      if (lines.length < pageSize) return;
    }
  }

  /** Document rows (no lines) in the order of `ids`. */
  async rows(ids: readonly string[], em: EntityManager = this.em.fork()): Promise<DocumentRow[]> {
    if (!ids.length) return [];
    const rows: DocumentRow[] = await em.execute(`select * from billing_document where id in (select value::uuid from json_array_elements_text(?::json))`, [
      JSON.stringify(ids),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async row(id: string, em: EntityManager = this.em.fork()): Promise<DocumentRow | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [row]: DocumentRow[] = await em.execute(`select * from billing_document where id = ?`, [id]);
    return row ?? null;
  }
}

export function notFound(id: string): DomainError {
  return DomainError.notFound(BillingRunErrorCode.DocumentNotFound, `billing document ${id} does not exist or is not visible to you`);
}

/** A document row without its lines (lists). */
export function documentHeader(row: DocumentRow): Omit<BillingDocument, 'lines'> {
  const money = (value: string) => Money.of(String(value), row.currency).toString();
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    period: row.period,
    runId: row.run_id,
    number: row.number,
    series: row.series,
    sequence: row.sequence,
    issuer: row.issuer_snapshot,
    recipient: row.recipient_snapshot,
    currency: row.currency,
    createdAt: new Date(row.created_at).toISOString(),
    issuedAt: row.issued_at ? new Date(row.issued_at).toISOString() : null,
    finalisedAt: row.finalised_at ? new Date(row.finalised_at).toISOString() : null,
    deliverTo: row.deliver_to,
    agreements: row.agreements ?? [],
    correctsDocumentId: row.corrects_document_id,
    totals: { lineCount: row.line_count, gross: money(row.gross), deductions: money(row.deductions), total: money(row.total) },
  };
}

export function toDocument(row: DocumentRow, lines: ReadonlyArray<Record<string, any>>): BillingDocument {
  return { ...documentHeader(row), lines: lines.map((line, i) => toLine(line, i + 1, row.currency)) };
}

function toLine(l: Record<string, any>, position: number, currency: string): BillingDocumentLine {
  const decimal = (value: unknown) => (value == null ? null : plainDecimal(String(value)));
  const money = (value: unknown) => (value == null ? null : Money.of(String(value), currency).toString());
  const instant = (value: unknown) => (value == null ? null : new Date(value as string).toISOString());
  return {
    id: l.id,
    position,
    kind: l.kind as BillingLineKind,
    description: l.description,
    clientId: l.client_id ?? null,
    clientName: l.client_name ?? null,
    resellerId: l.reseller_id ?? null,
    resellerName: l.reseller_name ?? null,
    agentId: l.agent_id ?? null,
    agentName: l.agent_name ?? null,
    clientCount: l.client_count ?? null,
    sku: l.sku ?? null,
    unit: l.unit ?? null,
    usagePeriod: l.usage_period ?? null,
    from: instant(l.from_at),
    to: instant(l.to_at),
    quantity: decimal(l.quantity),
    proratedQuantity: l.prorated_quantity == null ? null : String(l.prorated_quantity),
    unitPrice: decimal(l.unit_price),
    basis: money(l.basis),
    rate: decimal(l.rate),
    agreementId: l.agreement_id ?? null,
    correctsLineId: l.corrects_line_id ?? null,
    amount: money(l.amount)!,
  };
}
