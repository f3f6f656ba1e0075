import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsUUID } from 'class-validator';
import type { ResellerAssignment } from '@wholesail/persistence';
import { IsInstant } from '../../common/decimal-string';
import { PageMeta } from '../../common/pagination';
import { PartyDetailView } from './party.dto';

export class MoveResellerDto {
  @ApiProperty({ description: 'the new parent: the operator, a distributor, or another reseller (the moved reseller becomes its sub-reseller)' })
  @IsDefined({ message: 'parentId is required' })
  @IsUUID('all', { message: 'parentId must be a UUID' })
  parentId!: string;

  @ApiPropertyOptional({
    example: '2026-11-01T00:00:00Z',
    description:
      'from when the new distributor earns on this reseller: default now; not before the start of the current month in the operator’s time zone (past periods are never rewritten) and not in the future (future-dated moves are not supported yet: the tree moves at once)',
  })
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;
}

export class AssignedDistributorView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class AssignmentView {
  @ApiProperty() id!: string;
  @ApiProperty() resellerId!: string;
  @ApiProperty({ type: AssignedDistributorView, nullable: true, description: 'null: recruited by the operator directly' })
  distributor!: AssignedDistributorView | null;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ type: String, nullable: true, description: 'exclusive; null while in force' }) effectiveTo!: string | null;
  @ApiProperty() createdAt!: string;

  /** `assignment.distributor` must be loaded. */
  static of(assignment: ResellerAssignment): AssignmentView {
    const d = assignment.distributor;
    return {
      id: assignment.id,
      resellerId: assignment.reseller.id,
      distributor: d ? { id: d.id, code: d.code, name: d.name } : null,
      effectiveFrom: assignment.effectiveFrom.toISOString(),
      effectiveTo: assignment.effectiveTo?.toISOString() ?? null,
      createdAt: assignment.createdAt.toISOString(),
    };
  }
}

export class AssignmentPage {
  @ApiProperty({ type: [AssignmentView] }) items!: AssignmentView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class MoveResultView {
  @ApiProperty({ type: PartyDetailView, description: 'the reseller in its new place' }) party!: PartyDetailView;
  @ApiProperty({ type: AssignmentView, description: 'its new distributor assignment' }) assignment!: AssignmentView;
  @ApiProperty({ description: 'parties whose place in the tree changed: the reseller and everything below it' }) partiesMoved!: number;
}
