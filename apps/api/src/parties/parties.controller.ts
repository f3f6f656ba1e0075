import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { Idempotent, type IdempotentRequest } from '../common/idempotency.interceptor';
import { PageQuery, toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ChangeStatusDto, ListPartiesQuery, PartyDetailView, PartyPage, PartyView, StatusChangeView, WorkflowStartedView, WorkflowStatusView } from './dto/party.dto';
import { PartiesService } from './parties.service';

@ApiTags('parties')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('parties')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  @Get()
  @ApiOperation({ summary: 'List the parties you can see: your own and everything below it' })
  @ApiOkResponse({ type: PartyPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListPartiesQuery): Promise<Page<PartyView>> {
    const [items, total] = await this.parties.list(principal, query);
    return toPage(items.map((p) => PartyView.of(p, principal)), total, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One party with roll-ups (partners and clients below it)' })
  @ApiOkResponse({ type: PartyDetailView })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<PartyDetailView> {
    const party = await this.parties.get(principal, id);
    return { ...PartyView.of(party, principal), rollUp: await this.parties.rollUp(party) };
  }

  @Get(':id/children')
  @ApiOperation({ summary: 'The parties directly below this one' })
  @ApiOkResponse({ type: PartyPage })
  async children(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() page: PageQuery): Promise<Page<PartyView>> {
    const [items, total] = await this.parties.children(principal, id, page);
    return toPage(items.map((p) => PartyView.of(p, principal)), total, page);
  }

  @Post(':id/status-requests')
  @HttpCode(202)
  @Idempotent()
  @Roles('operator-admin', 'distributor-admin', 'reseller-admin')
  @ApiOperation({ summary: 'Activate, suspend or close a party below yours (runs as a durable workflow)' })
  @ApiAcceptedResponse({ type: WorkflowStartedView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  async requestStatusChange(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ChangeStatusDto, @Req() request: IdempotentRequest): Promise<WorkflowStartedView> {
    const started = await this.parties.requestStatusChange(principal, id, dto, request.idempotencyKey);
    return { ...started, statusUrl: `/parties/${id}/status-requests/${encodeURIComponent(request.idempotencyKey)}` };
  }

  @Get(':id/status-requests/:key')
  @ApiOperation({ summary: 'Follow a status request: running, completed with its result, or failed with a code' })
  @ApiOkResponse({ type: WorkflowStatusView })
  statusRequest(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Param('key') key: string): Promise<WorkflowStatusView> {
    return this.parties.statusRequest(principal, id, key);
  }

  @Get(':id/status-changes')
  @ApiOperation({ summary: 'Audit trail of this party’s status changes' })
  async statusChanges(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() page: PageQuery): Promise<Page<StatusChangeView>> {
    const [items, total] = await this.parties.statusChanges(principal, id, page);
    return toPage(items.map((c) => StatusChangeView.of(c)), total, page);
  }
}
