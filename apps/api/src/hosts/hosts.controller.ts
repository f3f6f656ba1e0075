import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { HostRegistryService, PlacementService, type HostView as Host } from '@wholesail/hypervisors';
import { ApiErrorBody } from '../common/api-error';
import { Idempotent } from '../common/idempotency.interceptor';
import { toPage, type Page } from '../common/pagination';
import { Roles } from '../auth/auth.decorators';
import { CreateHostDto, HostCheckView, HostPage, HostView, ListHostsQuery, ReservationView, UpdateHostDto } from './dto/host.dto';

/** The operator's hypervisor hosts: operator-admins change them, every operator user reads them. */
@ApiTags('hosts')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('hosts')
@Roles('operator-admin', 'operator-finance')
export class HostsController {
  constructor(
    private readonly hosts: HostRegistryService,
    private readonly placement: PlacementService,
  ) {}

  @Post()
  @Idempotent()
  @Roles('operator-admin')
  @ApiOperation({ summary: 'Register a vSphere or libvirt host with its capacity and tags' })
  @ApiCreatedResponse({ type: HostView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'VALIDATION_FAILED, HOST_INVALID_CONNECTION, HOST_INVALID_CAPACITY, HOST_INVALID_TAG' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'HOST_NAME_TAKEN' })
  create(@Body() dto: CreateHostDto): Promise<Host> {
    return this.hosts.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'Hosts with capacity, reserved and free (never credentials)' })
  @ApiOkResponse({ type: HostPage })
  async list(@Query() query: ListHostsQuery): Promise<Page<Host>> {
    const [items, total] = await this.hosts.list({ kind: query.kind, status: query.status, tag: query.tag, limit: query.pageSize, offset: query.offset });
    return toPage(items, total, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One host' })
  @ApiOkResponse({ type: HostView })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'HOST_NOT_FOUND' })
  get(@Param('id') id: string): Promise<Host> {
    return this.hosts.get(id);
  }

  @Patch(':id')
  @Roles('operator-admin')
  @ApiOperation({ summary: 'Change capacity, tags, status or connection details (a new password is sealed again)' })
  @ApiOkResponse({ type: HostView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'HOST_NOT_FOUND' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'HOST_CAPACITY_BELOW_RESERVED, HOST_NAME_TAKEN' })
  update(@Param('id') id: string, @Body() dto: UpdateHostDto): Promise<Host> {
    return this.hosts.update(id, dto);
  }

  @Post(':id/check')
  @HttpCode(200)
  @Roles('operator-admin')
  @ApiOperation({ summary: 'Connect with the host’s driver and report what it finds; a failure is `ok: false` with the reason' })
  @ApiOkResponse({ type: HostCheckView })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'HOST_NOT_FOUND' })
  check(@Param('id') id: string): Promise<HostCheckView> {
    return this.hosts.check(id);
  }

  @Get(':id/reservations')
  @ApiOperation({ summary: 'Reservations holding capacity on the host (reserved or committed), oldest first' })
  @ApiOkResponse({ type: [ReservationView] })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'HOST_NOT_FOUND' })
  async reservations(@Param('id') id: string): Promise<ReservationView[]> {
    await this.hosts.get(id);
    return this.placement.holding(id);
  }
}
