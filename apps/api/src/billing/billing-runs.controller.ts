import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { Idempotent } from '../common/idempotency.interceptor';
import { toPage, type Page } from '../common/pagination';
import { BillingRunsService } from './billing-runs.service';
import { BillingRunPage, BillingRunView, ListRunsQuery, RerateDto, StartRunDto } from './dto/billing.dto';
import { PeriodPipe } from './period.pipe';

@ApiTags('billing')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Roles('operator-admin', 'operator-finance')
@Controller('billing/runs')
export class BillingRunsController {
  constructor(private readonly runs: BillingRunsService) {}

  @Post()
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary:
      'Start the month-end run of a period (workflow billing-run:<period>), or a dry run (`dryRun: true`) or what-if (`whatIf`) of it: those answer 200 with every figure when ready in time, 202 otherwise',
  })
  @ApiAcceptedResponse({ type: BillingRunView, description: 'the run, under way' })
  @ApiOkResponse({ type: BillingRunView, description: 'a dry run or what-if, finished: `result` holds every figure' })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'a bad field, named (period, whatIf.agreements[i].rate, …)' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'BILLING_PERIOD_FINALISED, BILLING_RUN_IN_PROGRESS, BILLING_PERIOD_NOT_ENDED' })
  async start(@CurrentPrincipal() principal: Principal, @Body() dto: StartRunDto, @Res({ passthrough: true }) response: Response): Promise<BillingRunView> {
    const { run, finished } = await this.runs.start(principal, dto);
    if (finished) response.status(200);
    return run;
  }

  @Get()
  @ApiOperation({ summary: 'Billing runs, newest first (`?period=&mode=`)' })
  @ApiOkResponse({ type: BillingRunPage })
  async list(@Query() query: ListRunsQuery): Promise<Page<BillingRunView>> {
    const [items, total] = await this.runs.list(query);
    return toPage(items, total, query);
  }

  @Get('by-id/:id')
  @ApiOperation({ summary: 'One run by id (dry runs and what-ifs too), with its figures' })
  @ApiOkResponse({ type: BillingRunView })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  async byId(@Param('id', new ParseUUIDPipe()) id: string): Promise<BillingRunView> {
    return this.runs.getById(id);
  }

  @Get(':period')
  @ApiParam({ name: 'period', example: '2026-10' })
  @ApiOperation({
    summary: 'The period’s latest run: status, phase, progress (clients rated of total, documents, e-mails), totals, invariants, excluded late usage',
  })
  @ApiOkResponse({ type: BillingRunView })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'BILLING_RUN_NOT_FOUND' })
  async get(@Param('period', PeriodPipe) period: string): Promise<BillingRunView> {
    return this.runs.get(period);
  }

  @Post(':period/rerate')
  @HttpCode(202)
  @ApiParam({ name: 'period', example: '2026-10' })
  @ApiOperation({
    summary: 'After finance requested changes and the data was fixed: rate the period again (a new round, drafts replaced, approval asked anew)',
  })
  @ApiAcceptedResponse({ type: BillingRunView })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'BILLING_RUN_NOT_AWAITING_RERATE' })
  async rerate(@CurrentPrincipal() principal: Principal, @Param('period', PeriodPipe) period: string, @Body() dto: RerateDto): Promise<BillingRunView> {
    return this.runs.rerate(principal, period, dto);
  }
}
