import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { BILLING_DOCUMENT_KINDS, BILLING_DOCUMENT_STATUSES, BILLING_RUN_MODES, type BillingDocument } from '@wholesail/contracts';
import { MAX_WHAT_IF_AGREEMENTS } from '@wholesail/billing';
import type { BillingRun } from '@wholesail/persistence';
import { CreateAgreementDto } from '../../parties/dto/agreement.dto';
import { PageMeta, PageQuery } from '../../common/pagination';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const PERIOD_MESSAGE = 'period must be a month as YYYY-MM, e.g. "2026-10"';

/** A proposed agreement version for a what-if: the terms of `POST /parties/{id}/agreements`, for `partyId`. */
export class ProposedAgreementDto extends OmitType(CreateAgreementDto, ['currency'] as const) {
  @ApiProperty({ description: 'the distributor or agent the version is proposed for' })
  @IsDefined({ message: 'partyId is required' })
  @IsUUID('all', { message: 'partyId must be a party id (a UUID)' })
  partyId!: string;
}

export class WhatIfDto {
  @ApiProperty({
    type: [ProposedAgreementDto],
    description: `1–${MAX_WHAT_IF_AGREEMENTS} proposed versions, at most one per party; in force from \`effectiveFrom\` (default the period's start)`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WHAT_IF_AGREEMENTS)
  @ValidateNested({ each: true })
  @Type(() => ProposedAgreementDto)
  agreements!: ProposedAgreementDto[];
}

export class StartRunDto {
  @ApiProperty({ example: '2026-10', description: 'the billing period (a month in OPERATOR_TIMEZONE)' })
  @IsDefined({ message: 'period is required' })
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period!: string;

  @ApiPropertyOptional({ description: 'compute every figure, write nothing final (no freeze, no numbers, no e-mail)' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ type: WhatIfDto, description: 'a dry run under proposed agreement versions: each payout beside the current terms' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WhatIfDto)
  whatIf?: WhatIfDto;
}

export class ListRunsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-10' })
  @IsOptional()
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period?: string;

  @ApiPropertyOptional({ enum: BILLING_RUN_MODES })
  @IsOptional()
  @IsIn(BILLING_RUN_MODES, { message: `mode must be one of: ${BILLING_RUN_MODES.join(', ')}` })
  mode?: (typeof BILLING_RUN_MODES)[number];
}

export class RerateDto {
  @ApiPropertyOptional({ description: 'what was fixed' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ListDocumentsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-10' })
  @IsOptional()
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period?: string;

  @ApiPropertyOptional({ enum: BILLING_DOCUMENT_STATUSES, description: 'partners see final documents only' })
  @IsOptional()
  @IsIn(BILLING_DOCUMENT_STATUSES, { message: `status must be one of: ${BILLING_DOCUMENT_STATUSES.join(', ')}` })
  status?: (typeof BILLING_DOCUMENT_STATUSES)[number];

  @ApiPropertyOptional({ enum: BILLING_DOCUMENT_KINDS })
  @IsOptional()
  @IsIn(BILLING_DOCUMENT_KINDS, { message: `kind must be one of: ${BILLING_DOCUMENT_KINDS.join(', ')}` })
  kind?: (typeof BILLING_DOCUMENT_KINDS)[number];

  @ApiPropertyOptional({ description: 'documents issued or received by this party (among those you may see)' })
  @IsOptional()
  @IsUUID('all', { message: 'partyId must be a party id (a UUID)' })
  partyId?: string;

  @ApiPropertyOptional({ description: 'the documents of one run (the operator: also a dry run’s drafts)' })
  @IsOptional()
  @IsUUID('all', { message: 'runId must be a run id (a UUID)' })
  runId?: string;
}

/** A document without its lines, as lists show it (libs/contracts `BillingDocument`). */
export type DocumentHeaderView = Omit<BillingDocument, 'lines'>;

/** A JSON object whose members the description names (kept as the run or the document stored it). */
const FREE_FORM = { type: 'object', additionalProperties: true } as const;

export class BillingDocumentHeaderView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['client-invoice', 'wholesale-invoice', 'payout-invoice', 'credit-note'] }) kind!: string;
  @ApiProperty({ enum: ['draft', 'final'] }) status!: string;
  @ApiProperty({ example: '2026-10' }) period!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null while draft' }) number!: string | null;
  @ApiProperty({ enum: ['invoice', 'payout', 'credit-note'] }) series!: string;
  @ApiProperty({ type: Number, nullable: true }) sequence!: number | null;
  @ApiProperty({ ...FREE_FORM, description: '{id, kind, name, code, billingEmail, taxId, branding} as drafted' }) issuer!: object;
  @ApiProperty({ ...FREE_FORM, description: '{id, kind, name, code, billingEmail, taxId, branding} as drafted' }) recipient!: object;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) issuedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) finalisedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) deliverTo!: string | null;
  @ApiProperty({ type: 'array', items: FREE_FORM, description: 'payout invoices: each agreement version the lines were computed under' })
  agreements!: object[];
  @ApiProperty({ type: String, nullable: true, description: 'credit notes: the final document corrected' }) correctsDocumentId!: string | null;
  @ApiProperty({ ...FREE_FORM, description: '{lineCount, gross, deductions, total}, amounts as decimal strings' }) totals!: object;
}

export class BillingDocumentView extends BillingDocumentHeaderView {
  @ApiProperty({ type: 'array', items: FREE_FORM, description: 'the lines, each with its amount as a decimal string' }) lines!: object[];
}

export class DocumentPage {
  @ApiProperty({ type: [BillingDocumentHeaderView], description: 'billing documents without their lines' }) items!: DocumentHeaderView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class RunProgressView {
  @ApiProperty() clientsRated!: number;
  @ApiProperty() clientsTotal!: number;
  @ApiProperty() documentsTotal!: number;
  @ApiProperty() documentsFinal!: number;
  @ApiProperty() emailsSent!: number;
  @ApiProperty() emailsTotal!: number;
}

export class ExcludedUsageView {
  @ApiProperty() transactionId!: string;
  @ApiProperty({ enum: ['resource-event', 'usage-line'] }) kind!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() sku!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) resourceId!: string | null;
  @ApiProperty({ description: 'the period it happened in' }) usagePeriod!: string;
  @ApiProperty({ example: 'arrived-after-freeze', description: 'billed by the next run, as late usage' }) reason!: string;
}

export class BillingRunView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2026-10' }) period!: string;
  @ApiProperty({ enum: BILLING_RUN_MODES }) mode!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ example: 'awaiting-approval' }) status!: string;
  @ApiProperty({ example: 'approval' }) phase!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ type: RunProgressView }) progress!: RunProgressView;
  @ApiPropertyOptional({ type: String, nullable: true }) currency!: string | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    description: 'Σ client invoices, reseller margins, wholesale, distributor cuts, operator-funded agent cuts, carve-outs, operator net',
  })
  totals!: Record<string, string> | null;
  @ApiPropertyOptional({
    ...FREE_FORM,
    nullable: true,
    description: '{ok, violationCount, violations: [{invariant, subject, expected, actual, message}], checkedAt}',
  })
  invariants!: Record<string, unknown> | null;
  @ApiProperty({ description: 'usage that arrived after the freeze: billed by the next run' }) excludedCount!: number;
  @ApiProperty({ type: [ExcludedUsageView], description: 'the first 100 of them' }) excluded!: ExcludedUsageView[];
  @ApiPropertyOptional({ ...FREE_FORM, nullable: true, description: 'the proposed agreement versions of a what-if' }) whatIf!: Record<string, unknown> | null;
  @ApiPropertyOptional({ ...FREE_FORM, nullable: true, description: 'dry run and what-if: every figure (payouts beside the proposed terms for a what-if)' })
  result!: Record<string, unknown> | null;
  @ApiPropertyOptional({ ...FREE_FORM, nullable: true, description: 'why it failed: {code, message, violations?}' }) failure!: Record<string, unknown> | null;
  @ApiPropertyOptional({ ...FREE_FORM, nullable: true, description: 'finance’s latest decision' }) decision!: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the open approval task while the run waits for finance' }) approvalTaskId!: string | null;
  @ApiProperty() startedBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) finishedAt!: string | null;

  static of(run: BillingRun, excluded: ExcludedUsageView[] = [], approvalTaskId: string | null = null): BillingRunView {
    return {
      id: run.id,
      period: run.period,
      mode: run.mode,
      workflowId: run.workflowId,
      status: run.status,
      phase: run.phase,
      round: run.round,
      progress: {
        clientsRated: run.clientsRated,
        clientsTotal: run.clientsTotal,
        documentsTotal: run.documentsTotal,
        documentsFinal: run.documentsFinal,
        emailsSent: run.emailsSent,
        emailsTotal: run.emailsTotal,
      },
      currency: run.currency ?? null,
      totals: run.totals ?? null,
      invariants: run.invariants ?? null,
      excludedCount: run.excludedCount,
      excluded,
      whatIf: run.whatIf ?? null,
      result: run.result ?? null,
      failure: run.failure ?? null,
      decision: run.decision ?? null,
      approvalTaskId,
      startedBy: run.startedBy,
      createdAt: run.createdAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
    };
  }
}

export class BillingRunPage {
  @ApiProperty({ type: [BillingRunView] }) items!: BillingRunView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
