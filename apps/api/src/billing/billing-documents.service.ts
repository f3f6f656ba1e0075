import type { FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { BillingDocumentReader, BillingExplainer, documentHeader, notFound, type DocumentRow, type LineExplanation } from '@wholesail/billing';
import type { BillingDocument, BillingDocumentKind } from '@wholesail/contracts';
import { BillingDocument as DocumentEntity, Party } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { DocumentHeaderView, ListDocumentsQuery } from './dto/billing.dto';

const STATEMENT_KINDS: BillingDocumentKind[] = ['payout-invoice', 'credit-note'];
const INVOICE_KINDS: BillingDocumentKind[] = ['client-invoice', 'wholesale-invoice', 'credit-note'];

/**
 * Billing documents over HTTP, tenancy-scoped (TenancyService.visibleDocumentsFilter, the domain's
 * `canSeeDocument`): statements (payout invoices) for distributors and agents, invoices for
 * resellers and clients, one document, and "explain this amount" for one of its lines.
 */
@Injectable()
export class BillingDocumentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly reader: BillingDocumentReader,
    private readonly explainer: BillingExplainer,
  ) {}

  statements(principal: Principal, query: ListDocumentsQuery): Promise<[DocumentHeaderView[], number]> {
    return this.list(principal, query, STATEMENT_KINDS);
  }

  invoices(principal: Principal, query: ListDocumentsQuery): Promise<[DocumentHeaderView[], number]> {
    return this.list(principal, query, INVOICE_KINDS);
  }

  async document(principal: Principal, id: string): Promise<BillingDocument> {
    return this.reader.document((await this.visibleRow(principal, id)).id);
  }

  async explanation(principal: Principal, id: string, lineId: string): Promise<LineExplanation> {
    return this.explainer.explain(this.tenancy.caller(principal), await this.visibleRow(principal, id), lineId);
  }

  private async list(principal: Principal, query: ListDocumentsQuery, kinds: BillingDocumentKind[]): Promise<[DocumentHeaderView[], number]> {
    const operator = principal.partyKind === 'operator';
    const where: FilterQuery<DocumentEntity> = {
      $and: [
        this.tenancy.visibleDocumentsFilter(principal),
        { kind: { $in: query.kind ? kinds.filter((k) => k === query.kind) : kinds } },
        // A dry run's drafts are listed only when the operator asks for that run.
        query.runId && operator ? { runId: query.runId } : { dryRun: false, ...(query.runId ? { runId: query.runId } : {}) },
        query.period ? { period: query.period } : {},
        query.status ? { status: query.status } : {},
        query.partyId ? { $or: [{ issuer: query.partyId }, { recipient: query.partyId }] } : {},
      ],
    };
    const [docs, total] = await this.em.fork().findAndCount(DocumentEntity, where, {
      fields: ['id'],
      orderBy: { period: 'desc', kind: 'asc', number: 'asc', id: 'asc' },
      limit: query.pageSize,
      offset: query.offset,
    });
    const rows = await this.reader.rows(docs.map((d) => d.id));
    return [rows.map(documentHeader), total];
  }

  /** The document's row when the caller may see it; unknown and invisible both read as 404. */
  private async visibleRow(principal: Principal, id: string): Promise<DocumentRow> {
    const row = await this.reader.row(id);
    if (!row) throw notFound(id);
    const parties = await this.em.fork().find(Party, { id: { $in: [row.issuer_id, row.recipient_id] } }, { fields: ['id', 'kind', 'path'] });
    const node = (partyId: string) => {
      const party = parties.find((p) => p.id === partyId);
      return { id: partyId, kind: party?.kind ?? 'client', path: party?.path ?? '' };
    };
    const visible = this.tenancy.canSeeDocument(principal, {
      kind: row.kind,
      status: row.status,
      issuer: node(row.issuer_id),
      recipient: node(row.recipient_id),
    });
    if (!visible) throw notFound(id);
    return row;
  }
}
