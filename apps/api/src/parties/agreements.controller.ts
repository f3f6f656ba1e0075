import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { Idempotent } from '../common/idempotency.interceptor';
import { toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { AgreementPage, AgreementView, CreateAgreementDto, ListAgreementsQuery } from './dto/agreement.dto';
import { AgreementsService } from './agreements.service';

@ApiTags('parties')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('parties/:id/agreements')
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Get()
  @Roles('operator-admin', 'operator-finance', 'distributor-admin', 'agent')
  @ApiOperation({
    summary: 'Commission agreement versions of a distributor or agent, newest first (the operator; the party itself; a distributor also its agents)',
  })
  @ApiOkResponse({ type: AgreementPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ListAgreementsQuery,
  ): Promise<Page<AgreementView>> {
    const [items, total] = await this.agreements.list(principal, id, query);
    return toPage(
      items.map((a) => AgreementView.of(a)),
      total,
      query,
    );
  }

  @Post()
  @Idempotent()
  @Roles('operator-admin')
  @ApiOperation({
    summary:
      'A new version of a distributor’s or agent’s commission agreement, from effectiveFrom (default now, never in the past); the version in force ends there',
  })
  @ApiCreatedResponse({ type: AgreementView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'AGREEMENT_OVERLAPPING_VERSIONS: a version starts at or after effectiveFrom' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateAgreementDto,
  ): Promise<AgreementView> {
    return AgreementView.of(await this.agreements.create(principal, id, dto));
  }
}
