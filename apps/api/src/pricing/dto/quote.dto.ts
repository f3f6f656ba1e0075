import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsDecimalString, IsInstant } from '../../common/decimal-string';
import { PriceRuleView } from './price-rule.dto';

export class QuoteLineDto {
  @ApiProperty({ example: 'VCPU' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  sku!: string;

  @ApiProperty({ example: '4', description: 'units per month, ≥ 0 (decimal string)' })
  @IsDecimalString(12, '4')
  quantity!: string;

  @ApiPropertyOptional({ example: 'web-tier', description: 'your reference for the line, echoed back' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  ref?: string;
}

export class CreateQuoteDto {
  @ApiProperty({ description: 'the client the bill of materials is priced for' })
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId!: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'the prices in force at this instant; default now' })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiProperty({ type: [QuoteLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => QuoteLineDto)
  lines!: QuoteLineDto[];
}

class AppliedRuleView {
  @ApiProperty({ enum: ['rule', 'defaultUplift', 'clientOverride'] }) source!: string;
  @ApiProperty({ type: PriceRuleView, example: { kind: 'uplift', upliftPercent: '25' } }) rule!: PriceRuleView;
  @ApiProperty({ type: String, nullable: true, description: 'the price book version or client override used' }) versionId!: string | null;
}

export class QuoteTierLineView {
  @ApiProperty() resellerId!: string;
  @ApiProperty() depth!: number;
  @ApiProperty({ enum: ['subReseller', 'client'] }) sellsTo!: string;
  @ApiProperty({ example: '13.20' }) unitCost!: string;
  @ApiProperty({ example: '16.50' }) unitPrice!: string;
  @ApiProperty({ example: '52.80' }) costAmount!: string;
  @ApiProperty({ example: '66.00' }) saleAmount!: string;
  @ApiProperty({ example: '13.20' }) margin!: string;
  @ApiProperty() belowCost!: boolean;
  @ApiProperty({ type: AppliedRuleView }) appliedRule!: AppliedRuleView;
}

export class QuoteTierTotalView {
  @ApiProperty() resellerId!: string;
  @ApiProperty() depth!: number;
  @ApiProperty() costTotal!: string;
  @ApiProperty() saleTotal!: string;
  @ApiProperty() marginTotal!: string;
  @ApiProperty() belowCostLines!: number;
}

export class QuoteLineView {
  @ApiProperty({ type: String, nullable: true }) ref!: string | null;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty() category!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ example: '4' }) quantity!: string;
  @ApiProperty({ example: '16.50', description: 'the client’s exact unit price per month' }) unitPrice!: string;
  @ApiProperty({ example: '66.00', description: 'the client’s line amount, rounded once (half-even)' }) amount!: string;
  @ApiPropertyOptional({ description: 'operator view only' }) wholesaleUnitPrice?: string;
  @ApiPropertyOptional({ description: 'operator view only' }) wholesaleAmount?: string;
  @ApiPropertyOptional({ type: [QuoteTierLineView], description: 'operator view: every tier' }) tiers?: QuoteTierLineView[];
  @ApiPropertyOptional({ type: QuoteTierLineView, description: 'reseller view: your own tier' }) own?: QuoteTierLineView;
  @ApiPropertyOptional({ type: [QuoteTierLineView], description: 'reseller view: the tiers below you' }) below?: QuoteTierLineView[];
  @ApiPropertyOptional({ type: [String], enum: ['belowCost', 'clientOverride', 'fixedPrice'] }) flags?: string[];
}

/**
 * A bill of materials priced for a client, as the caller may see it: `operator` with the
 * wholesale price and every tier, `reseller` with its own cost and margin and the tiers below it
 * (never above), `client` with its prices only.
 */
export class QuoteView {
  @ApiProperty({ enum: ['operator', 'reseller', 'client'] }) view!: 'operator' | 'reseller' | 'client';
  @ApiProperty() clientId!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: [QuoteLineView] }) lines!: QuoteLineView[];
  @ApiProperty({ example: '225.32', description: 'Σ line amounts: what the client pays per month' }) monthlyTotal!: string;
  @ApiPropertyOptional({ description: 'operator view only' }) wholesaleTotal?: string;
  @ApiPropertyOptional({ type: [QuoteTierTotalView], description: 'operator view: every tier' }) tiers?: QuoteTierTotalView[];
  @ApiPropertyOptional({ description: 'reseller view: you' }) viewerId?: string;
  @ApiPropertyOptional({ type: QuoteTierTotalView, description: 'reseller view: your totals' }) own?: QuoteTierTotalView;
  @ApiPropertyOptional({ type: [QuoteTierTotalView], description: 'reseller view: the tiers below you' }) below?: QuoteTierTotalView[];
}
