import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { ClientPriceOverride } from '@wholesail/persistence';
import { IsInstant } from '../../common/decimal-string';
import { PageMeta, PageQuery } from '../../common/pagination';
import { PriceRuleDto, PriceRuleView, ruleView } from './price-rule.dto';

export class ListClientOverridesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'one client’s overrides; default every override you may see' })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId?: string;

  @ApiPropertyOptional({ example: 'VCPU' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  sku?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'only the overrides in force at this instant' })
  @IsOptional()
  @IsInstant()
  inForceAt?: string;
}

export class CreateClientOverrideDto extends PriceRuleDto {
  @ApiProperty({ description: 'a client of yours' })
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId!: string;

  @ApiProperty({ example: 'VCPU' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  sku!: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'default now; never in the past. The open override of this client and item ends here.' })
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;

  @ApiPropertyOptional({ example: '2027-12-31T23:00:00Z', description: 'exclusive end; default open' })
  @IsOptional()
  @IsInstant()
  effectiveTo?: string;
}

export class EndClientOverrideDto {
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'when the negotiated price stops; default now, never in the past' })
  @IsOptional()
  @IsInstant()
  effectiveTo?: string;
}

export class ClientOverrideView extends PriceRuleView {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ type: String, nullable: true }) effectiveTo!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;

  /** `override.item` must be loaded. */
  static of(override: ClientPriceOverride): ClientOverrideView {
    return {
      id: override.id,
      clientId: override.client.id,
      sku: override.item.sku,
      ...ruleView(override.kind, override.value),
      effectiveFrom: override.effectiveFrom.toISOString(),
      effectiveTo: override.effectiveTo?.toISOString() ?? null,
      createdBy: override.createdBy,
      createdAt: override.createdAt.toISOString(),
    };
  }
}

export class ClientOverridePage {
  @ApiProperty({ type: [ClientOverrideView] }) items!: ClientOverrideView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
