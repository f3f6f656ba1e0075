import { Check, Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import type { BillingAgreementRef, BillingDocumentKind, BillingDocumentStatus, BillingNumberSeries, BillingPartyRef } from '@wholesail/contracts';
import { randomUUID } from 'node:crypto';
import { Party } from './party.entity';

/**
 * A billing document (libs/contracts `BillingDocument`): client invoice, wholesale invoice, payout
 * invoice or credit note. Drafted by a billing run; numbered and made `final` when finance approves.
 * A final document and its lines never change: triggers (`billing_document_final_is_final`,
 * `billing_document_line_final_is_final`) refuse UPDATE, DELETE and TRUNCATE of them, and new lines
 * in them, whoever asks. Issuer and recipient are snapshots taken when it was drafted.
 */
@Entity({ tableName: 'billing_document' })
@Index({ properties: ['runId', 'round', 'kind'] })
@Index({ properties: ['issuer', 'status'] })
@Index({ properties: ['recipient', 'status'] })
@Index({ properties: ['period', 'status'] })
@Index({
  name: 'billing_document_draft_unique',
  expression: `create unique index "billing_document_draft_unique" on "billing_document" ("run_id", "round", "kind", "issuer_id", "recipient_id", coalesce("corrects_document_id", '00000000-0000-0000-0000-000000000000'::uuid))`,
})
@Index({
  name: 'billing_document_sequence_unique',
  expression: `create unique index "billing_document_sequence_unique" on "billing_document" ("issuer_id", "series", "sequence") where "sequence" is not null`,
})
@Check({
  name: 'billing_document_final_check',
  expression: `("status" = 'final') = ("number" is not null and "sequence" is not null and "finalised_at" is not null)`,
})
export class BillingDocument {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  runId!: string;

  @Property({ type: 'integer' })
  round!: number;

  @Property({ type: 'string', length: 7 })
  period!: string;

  /** Drafted by a dry run or what-if: never numbered, listed only when asked for by run. */
  @Property({ type: 'boolean', default: false })
  dryRun: boolean & Opt = false;

  // Allowed values as MikroORM's non-native enums (a text column and its `<table>_<column>_check`).
  @Enum({ items: ['client-invoice', 'wholesale-invoice', 'payout-invoice', 'credit-note'] })
  kind!: BillingDocumentKind;

  @Enum({ items: ['draft', 'final'], default: 'draft' })
  status: BillingDocumentStatus & Opt = 'draft';

  @Enum({ items: ['invoice', 'payout', 'credit-note'] })
  series!: BillingNumberSeries;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  issuer!: Rel<Party>;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  recipient!: Rel<Party>;

  /** The issuer as it was when drafted (name, contacts, branding). */
  @Property({ type: 'json' })
  issuerSnapshot!: BillingPartyRef;

  @Property({ type: 'json' })
  recipientSnapshot!: BillingPartyRef;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'string', length: 120, nullable: true })
  number?: string | null;

  @Property({ type: 'integer', nullable: true })
  sequence?: number | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  issuedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finalisedAt?: Date | null;

  @Property({ type: 'string', length: 320, nullable: true })
  deliverTo?: string | null;

  @Property({ type: 'json', default: '[]' })
  agreements: BillingAgreementRef[] & Opt = [];

  @Property({ type: 'uuid', nullable: true })
  correctsDocumentId?: string | null;

  @Property({ type: 'integer', default: 0 })
  lineCount: number & Opt = 0;

  @Property({ type: 'decimal', columnType: 'numeric', default: 0 })
  gross: string & Opt = '0';

  @Property({ type: 'decimal', columnType: 'numeric', default: 0 })
  deductions: string & Opt = '0';

  @Property({ type: 'decimal', columnType: 'numeric', default: 0 })
  total: string & Opt = '0';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}

/** A line of a billing document (libs/contracts `BillingDocumentLine`). Ordered by `sortKey`. */
@Entity({ tableName: 'billing_document_line' })
@Index({ properties: ['documentId', 'sortKey'] })
export class BillingDocumentLine {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id: string = randomUUID();

  /**
   * The document's id (lines are written and read set-wise, never through the relation). No
   * foreign key: statement triggers check and lock the documents a statement's lines name and
   * delete a document's lines with it (Migration20261201020000_document_line_reference).
   */
  @ManyToOne(() => BillingDocument, { fieldName: 'document_id', mapToPk: true, createForeignKeyConstraint: false })
  documentId!: string;

  @Property({ type: 'string', length: 20 })
  kind!: string;

  @Property({ type: 'text' })
  sortKey!: string;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'uuid', nullable: true })
  clientId?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  clientName?: string | null;

  @Property({ type: 'uuid', nullable: true })
  resellerId?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  resellerName?: string | null;

  @Property({ type: 'uuid', nullable: true })
  agentId?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  agentName?: string | null;

  @Property({ type: 'integer', nullable: true })
  clientCount?: number | null;

  @Property({ type: 'string', length: 64, nullable: true })
  sku?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  unit?: string | null;

  @Property({ type: 'string', length: 7, nullable: true })
  usagePeriod?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  fromAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  toAt?: Date | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  quantity?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  proratedQuantity?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  unitPrice?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  basis?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  rate?: string | null;

  @Property({ type: 'uuid', nullable: true })
  agreementId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  correctsLineId?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;

  /** What it was made from, for "explain this amount": a rated line id, or the cut lines' grouping key. */
  @Property({ type: 'text' })
  sourceRef!: string;

  /** Wholesale invoice lines: the tier (0 = top-level reseller) of the rated line it bills. */
  @Property({ type: 'integer', nullable: true })
  sourceTier?: number | null;
}

/** The last number an issuer used in a series. Locked by the transaction that numbers documents, so no number is skipped or used twice. */
@Entity({ tableName: 'billing_number_counter' })
@Check({ name: 'billing_number_counter_last_sequence_check', expression: '"last_sequence" >= 0' })
export class BillingNumberCounter {
  @PrimaryKey({ type: 'uuid' })
  issuerId!: string;

  @PrimaryKey({ type: 'string', length: 12 })
  series!: string;

  @Property({ type: 'integer', default: 0 })
  lastSequence!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date & Opt = new Date();
}
