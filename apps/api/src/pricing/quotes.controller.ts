import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { CreateQuoteDto, QuoteView } from './dto/quote.dto';
import { QuotesService } from './quotes.service';

@ApiTags('quotes')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @HttpCode(200)
  @Roles('operator-admin', 'operator-finance', 'reseller-admin', 'architect', 'client-user')
  @ApiOperation({
    summary: 'Price a bill of materials for a client: lines, monthly total and, for resellers, cost and margin of your tier and those below (stores nothing)',
  })
  @ApiOkResponse({ type: QuoteView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'VALIDATION_FAILED, PRICING_UNKNOWN_SKU, PRICING_ITEM_RETIRED, PRICING_INVALID_QUANTITY, …' })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'the client is not visible to you' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'PRICING_NO_PRICE_IN_FORCE' })
  quote(@CurrentPrincipal() principal: Principal, @Body() dto: CreateQuoteDto): Promise<QuoteView> {
    return this.quotes.quote(principal, dto);
  }
}
