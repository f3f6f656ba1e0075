import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PARTY_KINDS, PARTY_STATUSES, type PartyKind, type PartyStatus } from '@wholesail/domain';
import type { Principal } from '@wholesail/auth';
import type { Party, PartyStatusChange } from '@wholesail/persistence';
import { PageMeta, PageQuery } from '../../common/pagination';
import { BrandingView } from './party-admin.dto';

export class ListPartiesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PARTY_KINDS })
  @IsOptional()
  @IsIn(PARTY_KINDS, { message: `kind must be one of: ${PARTY_KINDS.join(', ')}` })
  kind?: PartyKind;

  @ApiPropertyOptional({ enum: PARTY_STATUSES })
  @IsOptional()
  @IsIn(PARTY_STATUSES, { message: `status must be one of: ${PARTY_STATUSES.join(', ')}` })
  status?: PartyStatus;

  @ApiPropertyOptional({ description: 'case-insensitive match on name or code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class PartyView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: PARTY_KINDS }) kind!: PartyKind;
  @ApiProperty() name!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ enum: PARTY_STATUSES }) status!: PartyStatus;
  @ApiPropertyOptional({ nullable: true }) parentId!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'clients: the agent credited now (history: GET /parties/{id}/credits)' }) foundById!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'clients: customer since' }) activeSince!: string | null;
  @ApiPropertyOptional({ nullable: true }) billingEmail!: string | null;
  @ApiPropertyOptional({ nullable: true }) notificationEmail!: string | null;
  @ApiPropertyOptional({ nullable: true }) taxId!: string | null;
  @ApiPropertyOptional({ type: BrandingView, nullable: true, description: 'resellers only' }) branding!: BrandingView | null;
  @ApiProperty() depth!: number;
  @ApiProperty() createdAt!: string;

  /**
   * A party as `principal` may see it. The parent is shown only when it lies inside the caller's
   * tenancy: never for the caller's own party (its parent is above it), never to an agent.
   */
  static of(party: Party, principal: Principal): PartyView {
    const parentVisible = principal.partyKind !== 'agent' && party.id !== principal.partyId;
    return {
      id: party.id,
      kind: party.kind,
      name: party.name,
      code: party.code,
      status: party.status,
      parentId: parentVisible ? (party.parent?.id ?? null) : null,
      foundById: party.foundBy?.id ?? null,
      activeSince: party.activeSince?.toISOString() ?? null,
      billingEmail: party.billingEmail ?? null,
      notificationEmail: party.notificationEmail ?? null,
      taxId: party.taxId ?? null,
      branding: party.branding ?? null,
      depth: party.depth,
      createdAt: party.createdAt.toISOString(),
    };
  }
}

export class RollUp {
  @ApiProperty({ description: 'resellers anywhere below (sub-resellers included)' }) resellers!: number;
  @ApiProperty({ description: 'clients anywhere below' }) clients!: number;
  @ApiProperty() distributors!: number;
  @ApiProperty() agents!: number;
}

export class PartyDetailView extends PartyView {
  @ApiProperty({ type: RollUp }) rollUp!: RollUp;
}

export class PartyPage {
  @ApiProperty({ type: [PartyView] }) items!: PartyView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: ['active', 'suspended', 'closed'] })
  @IsIn(['active', 'suspended', 'closed'], { message: 'status must be one of: active, suspended, closed' })
  status!: PartyStatus;

  @ApiProperty({ example: 'unpaid invoices for 60 days' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export class WorkflowStartedView {
  @ApiProperty({ example: 'party-status:6c1e…:2f9d…' }) workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ description: 'false when this request joined a workflow already started with the same key' }) started!: boolean;
  @ApiProperty({ description: 'where to follow the outcome' }) statusUrl!: string;
}

export class StatusChangeView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: PARTY_STATUSES }) fromStatus!: PartyStatus;
  @ApiProperty({ enum: PARTY_STATUSES }) toStatus!: PartyStatus;
  @ApiProperty() reason!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() createdAt!: string;

  static of(change: PartyStatusChange): StatusChangeView {
    return {
      id: change.id,
      fromStatus: change.fromStatus,
      toStatus: change.toStatus,
      reason: change.reason,
      requestedBy: change.requestedBy,
      workflowId: change.workflowId,
      createdAt: change.createdAt.toISOString(),
    };
  }
}

export class WorkflowStatusView {
  @ApiProperty() workflowId!: string;
  @ApiProperty({ example: 'COMPLETED' }) status!: string;
  @ApiPropertyOptional() result?: unknown;
  @ApiPropertyOptional() failure?: { code: string; message: string };
}
