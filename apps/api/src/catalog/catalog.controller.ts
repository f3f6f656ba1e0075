import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { PageQuery, toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import {
  AddCatalogPriceDto,
  AsOfQuery,
  CatalogItemPage,
  CatalogItemView,
  CreateCatalogItemDto,
  ListCatalogQuery,
  RetireCatalogItemDto,
  WholesalePricePage,
  WholesalePriceView,
} from './dto/catalog.dto';
import { CatalogService } from './catalog.service';

@ApiTags('catalog')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('catalog/items')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({ summary: 'The wholesale catalog: the operator sees wholesale prices, a reseller its own cost and list price, others the items only' })
  @ApiOkResponse({ type: CatalogItemPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListCatalogQuery): Promise<Page<CatalogItemView>> {
    const [items, total] = await this.catalog.list(principal, query);
    return toPage(items, total, query);
  }

  @Get(':sku')
  @ApiOperation({ summary: 'One catalog item, with the prices the caller may see' })
  @ApiOkResponse({ type: CatalogItemView })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  get(@CurrentPrincipal() principal: Principal, @Param('sku') sku: string, @Query() query: AsOfQuery): Promise<CatalogItemView> {
    return this.catalog.get(principal, sku, query.asOf);
  }

  @Post()
  @Roles('operator-admin')
  @ApiOperation({ summary: 'Add an item to the catalog, optionally with its first wholesale price' })
  @ApiCreatedResponse({ type: CatalogItemView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'CATALOG_SKU_TAKEN' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCatalogItemDto): Promise<CatalogItemView> {
    return this.catalog.create(principal, dto);
  }

  @Get(':sku/prices')
  @Roles('operator-admin', 'operator-finance')
  @ApiOperation({ summary: 'Every wholesale price version of an item, newest first (operator only)' })
  @ApiOkResponse({ type: WholesalePricePage })
  async prices(@Param('sku') sku: string, @Query() page: PageQuery): Promise<Page<WholesalePriceView>> {
    const [items, total] = await this.catalog.prices(sku, page);
    return toPage(items, total, page);
  }

  @Post(':sku/prices')
  @Roles('operator-admin')
  @ApiOperation({ summary: 'A new wholesale price version from a date (now by default); the open version ends there, past periods keep their price' })
  @ApiCreatedResponse({ type: WholesalePriceView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'PRICING_INVALID_PRICE, PRICING_EFFECTIVE_IN_PAST, VALIDATION_FAILED, …' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'PRICING_OVERLAPPING_VERSIONS' })
  addPrice(@Param('sku') sku: string, @Body() dto: AddCatalogPriceDto): Promise<WholesalePriceView> {
    return this.catalog.addPrice(sku, dto);
  }

  @Post(':sku/retire')
  @HttpCode(200)
  @Roles('operator-admin')
  @ApiOperation({ summary: 'Retire an item (now or later): it can no longer be quoted; items are never deleted' })
  @ApiOkResponse({ type: CatalogItemView })
  @ApiForbiddenResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'CATALOG_ITEM_ALREADY_RETIRED' })
  retire(@CurrentPrincipal() principal: Principal, @Param('sku') sku: string, @Body() dto: RetireCatalogItemDto): Promise<CatalogItemView> {
    return this.catalog.retire(principal, sku, dto);
  }
}
