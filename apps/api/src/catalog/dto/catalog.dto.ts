import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { DesignAttributes } from '@wholesail/domain';
import { CATALOG_CATEGORIES, type CatalogCategory, type CatalogPrice } from '@wholesail/persistence';
import { IsDecimalString, IsInstant } from '../../common/decimal-string';
import { PageMeta, PageQuery } from '../../common/pagination';

const PRICE_DIGITS = 14;
export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,63}$/;

export class AsOfQuery {
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'prices in force at this instant; default now' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}

export class ListCatalogQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CATALOG_CATEGORIES })
  @IsOptional()
  @IsIn(CATALOG_CATEGORIES, { message: `category must be one of: ${CATALOG_CATEGORIES.join(', ')}` })
  category?: CatalogCategory;

  @ApiPropertyOptional({ description: 'case-insensitive match on SKU or name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'only retired (true) or only quotable (false) items, as of `asOf`' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'retired must be true or false' })
  retired?: 'true' | 'false';

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'prices in force at this instant; default now' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}

export class CreateCatalogItemDto {
  @ApiProperty({ example: 'GPU-A100', description: 'upper case letters, digits, ".", "_" and "-"; at most 64' })
  @IsString()
  @Matches(SKU_PATTERN, { message: 'sku must be 1–64 upper-case letters, digits, ".", "_" or "-", starting with a letter or digit' })
  sku!: string;

  @ApiProperty({ example: 'NVIDIA A100 GPU' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: CATALOG_CATEGORIES })
  @IsIn(CATALOG_CATEGORIES, { message: `category must be one of: ${CATALOG_CATEGORIES.join(', ')}` })
  category!: CatalogCategory;

  @ApiProperty({ example: 'GPU', description: 'what one unit is; prices are per unit per month' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  unit!: string;

  @ApiPropertyOptional({ example: '850.00', description: 'the first wholesale price per unit per month (decimal string)' })
  @IsOptional()
  @IsDecimalString(PRICE_DIGITS, '850.00')
  unitPrice?: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'the catalog’s currency; the catalog’s first price sets it (EUR when not given)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'when the first price takes effect; default now' })
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { role: 'vm-template', os: 'linux', maxVcpus: 16, maxRamGb: 128, maxDiskGb: 2048 },
    description:
      'what the item is in a solution design: `{role: vm-template, os, maxVcpus, maxRamGb, maxDiskGb, licenceRequired?}`, `{role: os-licence, os, per?: vm | vcpu}`, or `{role: vcpu | ram-gb | storage-gb | public-ip}`',
  })
  @IsOptional()
  @IsObject()
  design?: DesignAttributes;
}

export class AddCatalogPriceDto {
  @ApiProperty({ example: '12.50', description: 'wholesale price per unit per month, ≥ 0 (decimal string)' })
  @IsDecimalString(PRICE_DIGITS, '12.50')
  unitPrice!: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'must be the catalog’s currency' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'default now; never in the past. The open version ends here.' })
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;

  @ApiPropertyOptional({ example: '2027-07-01T00:00:00Z', description: 'exclusive end; default open' })
  @IsOptional()
  @IsInstant()
  effectiveTo?: string;
}

export class RetireCatalogItemDto {
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'from when the item can no longer be quoted; default now, never in the past' })
  @IsOptional()
  @IsInstant()
  retiredAt?: string;
}

export class WholesalePriceView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '12.00' }) unitPrice!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() effectiveFrom!: string;
  @ApiPropertyOptional({ nullable: true }) effectiveTo!: string | null;
  @ApiProperty() createdAt!: string;

  static of(price: CatalogPrice, unitPrice: string): WholesalePriceView {
    return {
      id: price.id,
      unitPrice,
      currency: price.currency,
      effectiveFrom: price.effectiveFrom.toISOString(),
      effectiveTo: price.effectiveTo?.toISOString() ?? null,
      createdAt: price.createdAt.toISOString(),
    };
  }
}

/** A reseller's own prices for an item: what it pays, and its list price to its clients. */
export class ResellerPricesView {
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: '13.20', description: 'what you pay per unit per month (exact, unrounded)' }) unitCost!: string;
  @ApiPropertyOptional({
    nullable: true,
    example: '16.50',
    description: 'your client price book’s price, before any client override; null without a book in force',
  })
  clientUnitPrice!: string | null;
}

export class CatalogItemView {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CATALOG_CATEGORIES }) category!: CatalogCategory;
  @ApiProperty() unit!: string;
  @ApiProperty({ description: 'retired as of the instant asked: it can no longer be quoted' }) retired!: boolean;
  @ApiPropertyOptional({ nullable: true }) retiredAt!: string | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'what the item is in a solution design; null: not designable',
  })
  design!: DesignAttributes | null;
  @ApiPropertyOptional({ type: WholesalePriceView, nullable: true, description: 'operator only: the wholesale price in force' })
  wholesalePrice?: WholesalePriceView | null;
  @ApiPropertyOptional({
    type: ResellerPricesView,
    nullable: true,
    description: 'resellers only: your cost and your list price; null when no price is in force',
  })
  yourPrices?: ResellerPricesView | null;
}

export class CatalogItemPage {
  @ApiProperty({ type: [CatalogItemView] }) items!: CatalogItemView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class WholesalePricePage {
  @ApiProperty({ type: [WholesalePriceView] }) items!: WholesalePriceView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
