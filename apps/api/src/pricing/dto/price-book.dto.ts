import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PRICE_BOOK_AUDIENCES, type PriceBookAudience } from '@wholesail/domain';
import { plainDecimal, type PriceBookVersion } from '@wholesail/persistence';
import { IsDecimalString, IsInstant } from '../../common/decimal-string';
import { PageMeta, PageQuery } from '../../common/pagination';
import { PERCENT_DIGITS, PriceRuleDto, PriceRuleView, ruleView } from './price-rule.dto';

const AUDIENCE_MESSAGE = `audience must be one of: ${PRICE_BOOK_AUDIENCES.join(', ')}`;

export class ListPriceBooksQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'one reseller’s books (yours, or a sub-reseller’s below you); default every book you may see' })
  @IsOptional()
  @IsUUID('all', { message: 'resellerId must be a UUID' })
  resellerId?: string;

  @ApiPropertyOptional({ enum: PRICE_BOOK_AUDIENCES })
  @IsOptional()
  @IsIn(PRICE_BOOK_AUDIENCES, { message: AUDIENCE_MESSAGE })
  audience?: PriceBookAudience;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'only the versions in force at this instant' })
  @IsOptional()
  @IsInstant()
  inForceAt?: string;
}

export class PriceBookRuleDto extends PriceRuleDto {
  @ApiProperty({ example: 'VCPU' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  sku!: string;
}

export class CreatePriceBookVersionDto {
  @ApiPropertyOptional({ description: 'the reseller whose book this is; default your own party' })
  @IsOptional()
  @IsUUID('all', { message: 'resellerId must be a UUID' })
  resellerId?: string;

  @ApiProperty({
    enum: PRICE_BOOK_AUDIENCES,
    description: 'clients: what you charge your clients; subResellers: what you charge the resellers directly below you',
  })
  @IsIn(PRICE_BOOK_AUDIENCES, { message: AUDIENCE_MESSAGE })
  audience!: PriceBookAudience;

  @ApiProperty({ example: '25', description: 'percent over cost for items without a rule, ≥ 0 (decimal string); also the list price discounts come off' })
  @IsDecimalString(PERCENT_DIGITS, '25')
  defaultUpliftPercent!: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'default now; never in the past. The open version of this book ends here.' })
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;

  @ApiPropertyOptional({ example: '2027-07-01T00:00:00Z', description: 'exclusive end; default open' })
  @IsOptional()
  @IsInstant()
  effectiveTo?: string;

  @ApiPropertyOptional({ type: [PriceBookRuleDto], description: 'at most one rule per SKU; items without one take the default uplift' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PriceBookRuleDto)
  rules?: PriceBookRuleDto[];
}

export class PriceBookRuleView extends PriceRuleView {
  @ApiProperty() sku!: string;
}

export class PriceBookVersionView {
  @ApiProperty() id!: string;
  @ApiProperty() resellerId!: string;
  @ApiProperty({ enum: PRICE_BOOK_AUDIENCES }) audience!: PriceBookAudience;
  @ApiProperty({ example: '25' }) defaultUpliftPercent!: string;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ type: String, nullable: true }) effectiveTo!: string | null;
  @ApiProperty({ type: [PriceBookRuleView] }) rules!: PriceBookRuleView[];
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;

  /** `version.rules` and their items must be loaded. */
  static of(version: PriceBookVersion): PriceBookVersionView {
    return {
      id: version.id,
      resellerId: version.reseller.id,
      audience: version.audience,
      defaultUpliftPercent: plainDecimal(version.defaultUpliftPercent),
      effectiveFrom: version.effectiveFrom.toISOString(),
      effectiveTo: version.effectiveTo?.toISOString() ?? null,
      rules: version.rules
        .getItems()
        .map((rule) => ({ sku: rule.item.sku, ...ruleView(rule.kind, rule.value) }))
        .sort((a, b) => a.sku.localeCompare(b.sku)),
      createdBy: version.createdBy,
      createdAt: version.createdAt.toISOString(),
    };
  }
}

export class PriceBookVersionPage {
  @ApiProperty({ type: [PriceBookVersionView] }) items!: PriceBookVersionView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
