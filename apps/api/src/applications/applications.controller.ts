import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { Idempotent } from '../common/idempotency.interceptor';
import { toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, OptionalAuth } from '../auth/auth.decorators';
import { ApplicationsService } from './applications.service';
import {
  ApplicationPage,
  ApplicationProgressView,
  ApplicationView,
  ListApplicationsQuery,
  ResubmitApplicationDto,
  SubmitApplicationDto,
  SubmittedApplicationView,
  WithdrawApplicationDto,
} from './dto/application.dto';

const TOKEN_HEADER = {
  name: 'X-Applicant-Token',
  required: false,
  description: 'the applicant’s token from the submission (or the ?token= of the e-mailed links)',
};

@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @OptionalAuth()
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary: 'Apply to join the channel (distributor, reseller, sub-reseller, agent): starts the onboarding process. Public, or signed in as the sponsor.',
  })
  @ApiAcceptedResponse({ type: SubmittedApplicationView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  async submit(@Body() dto: SubmitApplicationDto, @CurrentPrincipal() principal?: Principal): Promise<SubmittedApplicationView> {
    const { application, created, applicantToken } = await this.applications.submit(dto, principal);
    return { applicationId: application.id, workflowId: application.workflowId, created, applicantToken, statusUrl: `/applications/${application.id}` };
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Applications you sponsor (or, for the operator, all of them)' })
  @ApiOkResponse({ type: ApplicationPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListApplicationsQuery): Promise<Page<ApplicationView>> {
    const [items, total] = await this.applications.list(principal, query);
    return toPage(
      items.map((a) => ApplicationView.of(a)),
      total,
      query,
    );
  }

  @Get(':id')
  @OptionalAuth()
  @ApiHeader(TOKEN_HEADER)
  @ApiOperation({ summary: 'One application and where it stands' })
  @ApiOkResponse({ type: ApplicationView })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('x-applicant-token') header?: string,
    @Query('token') query?: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<ApplicationView> {
    return ApplicationView.of(await this.applications.get(id, principal, header ?? query));
  }

  @Post(':id/withdrawals')
  @OptionalAuth()
  @HttpCode(200)
  @ApiHeader(TOKEN_HEADER)
  @ApiOperation({ summary: 'Withdraw the application while it waits (the applicant, or its sponsor)' })
  @ApiOkResponse({ type: ApplicationProgressView })
  @ApiConflictResponse({ type: ApiErrorBody })
  withdraw(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: WithdrawApplicationDto,
    @Headers('x-applicant-token') header?: string,
    @Query('token') query?: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<ApplicationProgressView> {
    return this.applications.withdraw(id, principal, header ?? query, dto);
  }

  @Post(':id/resubmissions')
  @OptionalAuth()
  @HttpCode(200)
  @ApiHeader(TOKEN_HEADER)
  @ApiOperation({ summary: 'Send corrections after changes were requested (the applicant)' })
  @ApiOkResponse({ type: ApplicationProgressView })
  @ApiConflictResponse({ type: ApiErrorBody })
  resubmit(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ResubmitApplicationDto,
    @Headers('x-applicant-token') header?: string,
    @Query('token') query?: string,
  ): Promise<ApplicationProgressView> {
    return this.applications.resubmit(id, header ?? query, dto);
  }
}
