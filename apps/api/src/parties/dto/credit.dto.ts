import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import type { ClientAgentCredit } from '@wholesail/persistence';
import { IsInstant } from '../../common/decimal-string';
import { PageMeta } from '../../common/pagination';

export class RecreditDto {
  @ApiProperty({
    nullable: true,
    description: 'the agent credited from effectiveFrom on (an agent of the client’s distributor), or null for none',
  })
  @ValidateIf((dto: RecreditDto) => dto.agentId !== null)
  @IsDefined({ message: 'agentId is required: the agent’s id, or null for no agent' })
  @IsUUID('all', { message: 'agentId must be a UUID, or null for no agent' })
  agentId!: string | null;

  @ApiPropertyOptional({
    example: '2026-11-10T00:00:00Z',
    description:
      'from when: default now; not before the start of the earliest billing period not yet finalised (EffectiveDatePolicy) and not in the future. A re-credit in the middle of a period splits that period’s agent cut by time',
  })
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;
}

export class CreditedAgentView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class CreditView {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiPropertyOptional({ type: CreditedAgentView, nullable: true, description: 'null: credited to no agent over this span' })
  agent!: CreditedAgentView | null;
  @ApiProperty() effectiveFrom!: string;
  @ApiPropertyOptional({ nullable: true, description: 'exclusive; null while in force' }) effectiveTo!: string | null;
  @ApiProperty() createdAt!: string;

  /** `credit.agent` must be loaded. */
  static of(credit: ClientAgentCredit): CreditView {
    const agent = credit.agent;
    return {
      id: credit.id,
      clientId: credit.client.id,
      agent: agent ? { id: agent.id, code: agent.code, name: agent.name } : null,
      effectiveFrom: credit.effectiveFrom.toISOString(),
      effectiveTo: credit.effectiveTo?.toISOString() ?? null,
      createdAt: credit.createdAt.toISOString(),
    };
  }
}

export class CreditPage {
  @ApiProperty({ type: [CreditView] }) items!: CreditView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
