import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { USAGE_EVENTS_MAX_BATCH } from '@wholesail/usage';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { toPage, type Page } from '../common/pagination';
import { ListEventsQuery, RecordEventsDto, RecordEventsResponse, ResourceEventPage, type ResourceEventView } from './dto/usage.dto';
import { UsageEventsService } from './usage-events.service';

@ApiTags('usage')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('usage/events')
export class UsageEventsController {
  constructor(private readonly events: UsageEventsService) {}

  @Post()
  @HttpCode(200)
  @Roles('operator-admin')
  @ApiOperation({
    summary: `Report resource events (1–${USAGE_EVENTS_MAX_BATCH}): a resource starts, changes quantity or stops. Idempotent by transaction ID; all or none`,
  })
  @ApiOkResponse({ type: RecordEventsResponse, description: 'per event: recorded, or duplicate (already recorded with the same content)' })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'USAGE_INVALID_EVENT naming each field (events[i].clientId: does not exist, …), USAGE_BATCH_SIZE' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'USAGE_TRANSACTION_CONFLICT (a transaction ID reused with other content), USAGE_INVALID_SEQUENCE' })
  async record(@CurrentPrincipal() principal: Principal, @Body() dto: RecordEventsDto): Promise<RecordEventsResponse> {
    const results = await this.events.record(principal, dto);
    return {
      results,
      recorded: results.filter((r) => r.status === 'recorded').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
    };
  }

  @Get()
  @ApiOperation({ summary: 'Resource events of the clients you may see, oldest first (`clientId`, `resourceId`, occurred in [`from`, `to`))' })
  @ApiOkResponse({ type: ResourceEventPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListEventsQuery): Promise<Page<ResourceEventView>> {
    const [items, total] = await this.events.list(principal, query);
    return toPage(items, total, query);
  }
}
