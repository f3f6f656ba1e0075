import { Body, Controller, Get, Header, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { isDomainError } from '@wholesail/domain';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { escapeHtml, htmlPage, PAGE_CONTENT_SECURITY_POLICY } from '../common/html-page';
import { Idempotent } from '../common/idempotency.interceptor';
import { toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, OptionalAuth } from '../auth/auth.decorators';
import { ApplicationsService } from './applications.service';
import {
  ApplicationPage,
  ApplicationStatusResultView,
  ApplicationView,
  EmailConfirmedView,
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
  @Idempotent({ anonymousReplay: () => SubmittedApplicationView.repeated() })
  @ApiOperation({
    summary: 'Apply to join the channel (distributor, reseller, sub-reseller, agent): starts the onboarding process. Public, or signed in as the sponsor.',
    description:
      'A new application answers with its id and the applicant’s token. Submitting the same kind, e-mail and tax ID again answers `created: false` with a message only, and e-mails the address on file a link to the application (at most once an hour). An anonymous replay of an Idempotency-Key gets that same answer.',
  })
  @ApiAcceptedResponse({ type: SubmittedApplicationView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  async submit(@Body() dto: SubmitApplicationDto, @CurrentPrincipal() principal?: Principal): Promise<SubmittedApplicationView> {
    const outcome = await this.applications.submit(dto, principal);
    return outcome.created ? SubmittedApplicationView.created(outcome.application, outcome.applicantToken) : SubmittedApplicationView.repeated();
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
  @ApiOperation({
    summary: 'Withdraw the application while it waits',
    description:
      'The applicant (its token), or signed in as a person: an admin of the sponsor (the recruiting distributor or parent reseller) or an operator admin, who must give a reason. Who, why and when are recorded on the application.',
  })
  @ApiOkResponse({ type: ApplicationStatusResultView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'WITHDRAWAL_REASON_REQUIRED' })
  @ApiForbiddenResponse({ type: ApiErrorBody, description: 'APPLICATION_WITHDRAW_FORBIDDEN: you can see it, but may not withdraw it' })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody })
  withdraw(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: WithdrawApplicationDto,
    @Headers('x-applicant-token') header?: string,
    @Query('token') query?: string,
    @CurrentPrincipal() principal?: Principal,
  ) {
    return this.applications.withdraw(id, principal, header ?? query, dto);
  }

  @Post(':id/resubmissions')
  @OptionalAuth()
  @HttpCode(200)
  @ApiHeader(TOKEN_HEADER)
  @ApiOperation({
    summary: 'Send corrections after changes were requested (the applicant)',
    description:
      'Corrections apply at once, except a new contact `email`: that address is e-mailed a link to confirm it (the current one is told), and it replaces the current one only once confirmed.',
  })
  @ApiOkResponse({ type: ApplicationStatusResultView })
  @ApiConflictResponse({ type: ApiErrorBody })
  resubmit(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ResubmitApplicationDto,
    @Headers('x-applicant-token') header?: string,
    @Query('token') query?: string,
  ) {
    return this.applications.resubmit(id, header ?? query, dto);
  }

  /** The link in the confirmation e-mail: a page that asks to confirm (opening a link changes nothing). */
  @Get(':id/email-confirmations/:token')
  @OptionalAuth()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CONTENT_SECURITY_POLICY)
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The page a new contact e-mail’s confirmation link opens (HTML): confirm the address' })
  @ApiOkResponse({ description: 'an HTML page', schema: { type: 'string' } })
  emailConfirmationPage(@Param('id', new ParseUUIDPipe()) id: string, @Param('token') token: string): string {
    let body: string;
    try {
      const { email } = this.applications.checkEmailChange(id, token);
      body = `<h1>Confirm your e-mail address</h1><p>Use <b>${escapeHtml(email)}</b> as the contact e-mail of your partner application from now on?</p>
<form id="f"><button>Confirm</button></form><p id="m"></p>
<script>document.getElementById('f').onsubmit=async(e)=>{e.preventDefault();const r=await fetch(location.pathname,{method:'POST'});const j=await r.json();document.getElementById('m').textContent=r.ok?'Done: we will write to '+j.email+' from now on.':j.message;}</script>`;
    } catch (error) {
      body = `<h1>E-mail confirmation</h1><p>${escapeHtml(isDomainError(error) ? error.message : 'this confirmation link is not valid')}</p>`;
    }
    return htmlPage('Confirm your e-mail address', body);
  }

  @Post(':id/email-confirmations/:token')
  @OptionalAuth()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm a new contact e-mail (the link e-mailed to it): from now on the application uses it',
    description: 'Refused once the application is approved or has ended (409); a link that is forged, expired or for another application is a 400.',
  })
  @ApiOkResponse({ type: EmailConfirmedView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'EMAIL_CHANGE_TOKEN_INVALID' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'ONBOARDING_ALREADY_FINISHED, or APPLICATION_EMAIL_TAKEN' })
  confirmEmail(@Param('id', new ParseUUIDPipe()) id: string, @Param('token') token: string): Promise<EmailConfirmedView> {
    return this.applications.confirmEmail(id, token);
  }
}
