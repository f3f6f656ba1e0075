import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBadRequestResponse,
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
import { Idempotent, type IdempotentRequest } from '../common/idempotency.interceptor';
import { PageQuery, toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import {
  ChangeStatusDto,
  ListPartiesQuery,
  PartyDetailView,
  PartyPage,
  PartyView,
  StatusChangePage,
  StatusChangeView,
  WorkflowStartedView,
  WorkflowStatusView,
} from './dto/party.dto';
import { CreatePartyDto, UpdatePartyDto } from './dto/party-admin.dto';
import { PartiesService } from './parties.service';
import { PartyAdminService } from './party-admin.service';

@ApiTags('parties')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('parties')
export class PartiesController {
  constructor(
    private readonly parties: PartiesService,
    private readonly admin: PartyAdminService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List the parties you can see: your own and everything below it' })
  @ApiOkResponse({ type: PartyPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListPartiesQuery): Promise<Page<PartyView>> {
    const [items, total] = await this.parties.list(principal, query);
    return toPage(
      items.map((p) => PartyView.of(p, principal)),
      total,
      query,
    );
  }

  @Post()
  @Idempotent()
  @Roles('operator-admin', 'distributor-admin', 'reseller-admin')
  @ApiOperation({
    summary: 'Create a partner or client directly (partners normally join through onboarding)',
    description:
      'operator-admin: distributors, agents (under a distributor), resellers (under the operator, a distributor or a reseller), clients. distributor-admin: agents and resellers under itself. reseller-admin: clients under itself or its sub-resellers, sub-resellers under itself. A new top-level reseller is assigned to its distributor (or the operator) from now.',
  })
  @ApiCreatedResponse({ type: PartyDetailView })
  @ApiBadRequestResponse({
    type: ApiErrorBody,
    description: 'a field is missing or wrong; an unknown or invisible parentId; an agent outside the client’s distributor',
  })
  @ApiForbiddenResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'code, name or tax ID already used (PARTY_DUPLICATE names the field)' })
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePartyDto): Promise<PartyDetailView> {
    return this.detail(principal, await this.admin.create(principal, dto));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One party with roll-ups (partners and clients below it)' })
  @ApiOkResponse({ type: PartyDetailView })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<PartyDetailView> {
    return this.detail(principal, id);
  }

  @Patch(':id')
  @Roles('operator-admin', 'distributor-admin', 'reseller-admin')
  @ApiOperation({
    summary: 'Change contacts and branding (its own admin or an admin above it), name and tax ID (an admin above it); status goes through status requests',
  })
  @ApiOkResponse({ type: PartyDetailView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  @ApiForbiddenResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody })
  async update(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdatePartyDto): Promise<PartyDetailView> {
    await this.admin.update(principal, id, dto);
    return this.detail(principal, id);
  }

  @Get(':id/children')
  @ApiOperation({ summary: 'The parties directly below this one' })
  @ApiOkResponse({ type: PartyPage })
  async children(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() page: PageQuery): Promise<Page<PartyView>> {
    const [items, total] = await this.parties.children(principal, id, page);
    return toPage(
      items.map((p) => PartyView.of(p, principal)),
      total,
      page,
    );
  }

  @Post(':id/status-requests')
  @HttpCode(202)
  @Idempotent()
  @Roles('operator-admin', 'distributor-admin', 'reseller-admin')
  @ApiOperation({ summary: 'Activate, suspend or close a party below yours (runs as a durable workflow)' })
  @ApiAcceptedResponse({ type: WorkflowStartedView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  async requestStatusChange(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ChangeStatusDto,
    @Req() request: IdempotentRequest,
  ): Promise<WorkflowStartedView> {
    const started = await this.parties.requestStatusChange(principal, id, dto, request.idempotencyKey);
    return { ...started, statusUrl: `/parties/${id}/status-requests/${encodeURIComponent(request.idempotencyKey)}` };
  }

  @Get(':id/status-requests/:key')
  @ApiOperation({ summary: 'Follow a status request: running, completed with its result, or failed with a code' })
  @ApiOkResponse({ type: WorkflowStatusView })
  statusRequest(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('key') key: string,
  ): Promise<WorkflowStatusView> {
    return this.parties.statusRequest(principal, id, key);
  }

  @Get(':id/status-changes')
  @ApiOperation({ summary: 'Audit trail of this party’s status changes' })
  @ApiOkResponse({ type: StatusChangePage })
  async statusChanges(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() page: PageQuery,
  ): Promise<Page<StatusChangeView>> {
    const [items, total] = await this.parties.statusChanges(principal, id, page);
    return toPage(
      items.map((c) => StatusChangeView.of(c)),
      total,
      page,
    );
  }

  private async detail(principal: Principal, id: string): Promise<PartyDetailView> {
    const party = await this.parties.detail(principal, id);
    return { ...PartyView.of(party, principal), rollUp: party.rollUp };
  }
}
