import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
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
import { ClientOverridePage, ClientOverrideView, CreateClientOverrideDto, EndClientOverrideDto, ListClientOverridesQuery } from './dto/client-override.dto';
import { ClientOverridesService } from './client-overrides.service';

@ApiTags('client-overrides')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('client-overrides')
export class ClientOverridesController {
  constructor(private readonly overrides: ClientOverridesService) {}

  @Get()
  @Roles('operator-admin', 'operator-finance', 'reseller-admin', 'architect')
  @ApiOperation({ summary: 'Negotiated client prices you may see (your clients’ and those below you)' })
  @ApiOkResponse({ type: ClientOverridePage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListClientOverridesQuery): Promise<Page<ClientOverrideView>> {
    const [items, total] = await this.overrides.list(principal, query);
    return toPage(
      items.map((o) => ClientOverrideView.of(o)),
      total,
      query,
    );
  }

  @Get(':id')
  @Roles('operator-admin', 'operator-finance', 'reseller-admin', 'architect')
  @ApiOperation({ summary: 'One negotiated client price' })
  @ApiOkResponse({ type: ClientOverrideView })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ClientOverrideView> {
    return ClientOverrideView.of(await this.overrides.get(principal, id));
  }

  @Post()
  @Roles('operator-admin', 'reseller-admin')
  @ApiOperation({ summary: 'Negotiate a price with one of your clients for one item, from a date (now by default); the open one ends there' })
  @ApiCreatedResponse({ type: ClientOverrideView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  @ApiForbiddenResponse({ type: ApiErrorBody, description: 'ROLE_REQUIRED, CLIENT_OVERRIDE_FORBIDDEN (not your client)' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'PRICING_OVERLAPPING_VERSIONS' })
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateClientOverrideDto): Promise<ClientOverrideView> {
    return ClientOverrideView.of(await this.overrides.create(principal, dto));
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('operator-admin', 'reseller-admin')
  @ApiOperation({ summary: 'End a negotiated price (now or later); the client book applies again from then' })
  @ApiOkResponse({ type: ClientOverrideView })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'CLIENT_OVERRIDE_ENDED: it already ends at or before effectiveTo' })
  async end(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: EndClientOverrideDto,
  ): Promise<ClientOverrideView> {
    return ClientOverrideView.of(await this.overrides.end(principal, id, dto));
  }
}
