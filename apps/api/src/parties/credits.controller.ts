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
import { Idempotent } from '../common/idempotency.interceptor';
import { PageQuery, toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { CreditPage, CreditView, RecreditDto } from './dto/credit.dto';
import { CreditsService } from './credits.service';

@ApiTags('parties')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('parties/:id/credits')
export class CreditsController {
  constructor(private readonly credits: CreditsService) {}

  @Get()
  @Roles('operator-admin', 'operator-finance', 'distributor-admin', 'reseller-admin', 'agent')
  @ApiOperation({
    summary: 'Which agent a client was credited to, and when (oldest first)',
    description: 'The operator, the client’s distributor and the admins of its reseller chain see every span; the agent credited now sees only its own.',
  })
  @ApiOkResponse({ type: CreditPage })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  async list(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() page: PageQuery): Promise<Page<CreditView>> {
    const [items, total] = await this.credits.list(principal, id, page);
    return toPage(
      items.map((c) => CreditView.of(c)),
      total,
      page,
    );
  }

  @Post()
  @Idempotent()
  @Roles('operator-admin', 'distributor-admin')
  @ApiOperation({
    summary: 'Re-credit a client to another agent of its distributor, or to none, from effectiveFrom',
    description:
      'The credit in force ends at effectiveFrom (default now; back to the start of the earliest billing period not yet finalised, never in the future) and the new one starts there: a re-credit in the middle of a period splits that period’s agent cut by time. The agents’ view of their clients changes at once.',
  })
  @ApiCreatedResponse({ type: CreditView })
  @ApiBadRequestResponse({
    type: ApiErrorBody,
    description: 'PARTY_INVALID_AGENT (agentId), PARTY_NOT_A_CLIENT, PARTY_CREDIT_NO_CHANGE, PARTY_CREDIT_IN_PAST / PARTY_CREDIT_IN_FUTURE (effectiveFrom)',
  })
  @ApiForbiddenResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'PARTY_CREDIT_OVERLAP: a credit starts at or after effectiveFrom' })
  async recredit(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: RecreditDto): Promise<CreditView> {
    return CreditView.of(await this.credits.recredit(principal, id, dto));
  }
}
