import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import type { LineExplanation } from '@wholesail/billing';
import type { BillingDocument } from '@wholesail/contracts';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { toPage, type Page } from '../common/pagination';
import { BillingDocumentsService } from './billing-documents.service';
import { BillingDocumentView, DocumentPage, ListDocumentsQuery, type DocumentHeaderView } from './dto/billing.dto';

@ApiTags('billing')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class BillingDocumentsController {
  constructor(private readonly documents: BillingDocumentsService) {}

  @Get('statements')
  @ApiOperation({
    summary:
      'Payout statements (payout invoices, and credit notes on them): a distributor’s or agent’s own, final ones; the operator’s: all (`?period=&status=&partyId=`)',
  })
  @ApiOkResponse({ type: DocumentPage })
  async statements(@CurrentPrincipal() principal: Principal, @Query() query: ListDocumentsQuery): Promise<Page<DocumentHeaderView>> {
    const [items, total] = await this.documents.statements(principal, query);
    return toPage(items, total, query);
  }

  @Get('invoices')
  @ApiOperation({
    summary:
      'Client and wholesale invoices (and credit notes): a reseller’s issued and received (and those of its sub-resellers and clients), a client’s own; final ones (`?period=&kind=&status=&partyId=`)',
  })
  @ApiOkResponse({ type: DocumentPage })
  async invoices(@CurrentPrincipal() principal: Principal, @Query() query: ListDocumentsQuery): Promise<Page<DocumentHeaderView>> {
    const [items, total] = await this.documents.invoices(principal, query);
    return toPage(items, total, query);
  }

  @Get('documents/:id')
  @ApiOperation({ summary: 'One billing document with its lines (libs/contracts BillingDocument)' })
  @ApiOkResponse({ type: BillingDocumentView })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'BILLING_DOCUMENT_NOT_FOUND (also when not visible to you)' })
  async document(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<BillingDocument> {
    return this.documents.document(principal, id);
  }

  @Get('documents/:id/lines/:lineId/explanation')
  @ApiOperation({
    summary:
      'Explain this amount: the usage behind a line (events, seconds, quantities), the prices and rules at every tier you may see, the agreement version and rate',
  })
  @ApiOkResponse({
    schema: { type: 'object', additionalProperties: true, description: 'the usage, price versions and agreement behind the line, as far as you may see them' },
  })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  async explanation(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('lineId', new ParseUUIDPipe()) lineId: string,
  ): Promise<LineExplanation> {
    return this.documents.explanation(principal, id, lineId);
  }
}
