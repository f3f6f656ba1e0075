import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
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
import { toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { CreatePriceBookVersionDto, ListPriceBooksQuery, PriceBookVersionPage, PriceBookVersionView } from './dto/price-book.dto';
import { PriceBooksService } from './price-books.service';

@ApiTags('price-books')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('price-books')
export class PriceBooksController {
  constructor(private readonly books: PriceBooksService) {}

  @Get()
  @Roles('operator-admin', 'operator-finance', 'reseller-admin', 'architect')
  @ApiOperation({ summary: 'Price book versions you may see: your own, and those of sub-resellers below you (never a parent’s or a sibling’s)' })
  @ApiOkResponse({ type: PriceBookVersionPage })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'resellerId is not visible to you' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListPriceBooksQuery): Promise<Page<PriceBookVersionView>> {
    const [items, total] = await this.books.list(principal, query);
    return toPage(
      items.map((v) => PriceBookVersionView.of(v)),
      total,
      query,
    );
  }

  @Get(':id')
  @Roles('operator-admin', 'operator-finance', 'reseller-admin', 'architect')
  @ApiOperation({ summary: 'One price book version with its rules' })
  @ApiOkResponse({ type: PriceBookVersionView })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<PriceBookVersionView> {
    return PriceBookVersionView.of(await this.books.get(principal, id));
  }

  @Post()
  @Roles('operator-admin', 'reseller-admin')
  @ApiOperation({ summary: 'A new version of one of your price books (clients or subResellers), from a date (now by default); the open version ends there' })
  @ApiCreatedResponse({ type: PriceBookVersionView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'VALIDATION_FAILED, PRICING_INVALID_RULE, PRICING_UNKNOWN_SKU, PRICING_EFFECTIVE_IN_PAST, …' })
  @ApiForbiddenResponse({ type: ApiErrorBody, description: 'ROLE_REQUIRED, PRICE_BOOK_FORBIDDEN (a book that is not yours)' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'PRICING_OVERLAPPING_VERSIONS' })
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePriceBookVersionDto): Promise<PriceBookVersionView> {
    return PriceBookVersionView.of(await this.books.create(principal, dto));
  }
}
