import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import type { SolutionStatusView } from '@wholesail/contracts';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { Idempotent } from '../common/idempotency.interceptor';
import { PageQuery, toPage, type Page } from '../common/pagination';
import {
  CreateShareLinkDto,
  CreateSolutionDto,
  DesignCheckView,
  DesignGraphDto,
  DesignVersionPage,
  DesignVersionSummaryView,
  DesignVersionView,
  ListSolutionsQuery,
  SavedVersionView,
  SaveVersionDto,
  ShareLinkView,
  SolutionPage,
  SolutionView,
  SubmissionView,
  WithdrawSolutionDto,
} from './dto/solution.dto';
import { DESIGN_WRITER_ROLES } from './solution-access';
import { SolutionsService } from './solutions.service';
import { sendsSvg } from './svg-response';

@ApiTags('solutions')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('solutions')
export class SolutionsController {
  constructor(private readonly solutions: SolutionsService) {}

  @Post()
  @Roles(...DESIGN_WRITER_ROLES)
  @Idempotent()
  @ApiOperation({ summary: 'Create a solution for one of your clients (architect, reseller-admin of the client’s own reseller)' })
  @ApiCreatedResponse({ type: SolutionView })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'SOLUTION_DUPLICATE: the client has a solution of that name' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSolutionDto): Promise<SolutionView> {
    return this.solutions.create(principal, dto);
  }

  @Get()
  @ApiOperation({
    summary: 'Solutions you may see: your clients’ (resellers, also below you), your own (client users), all (operator); none for distributors and agents',
  })
  @ApiOkResponse({ type: SolutionPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListSolutionsQuery): Promise<Page<SolutionView>> {
    const [items, total] = await this.solutions.list(principal, query);
    return toPage(items, total, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One solution: where its approval stands, the open request for changes' })
  @ApiOkResponse({ type: SolutionView })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<SolutionView> {
    return this.solutions.get(principal, id);
  }

  @Post(':id/checks')
  @HttpCode(200)
  @Roles(...DESIGN_WRITER_ROLES, 'operator-admin')
  @ApiOperation({
    summary:
      'Validate and quote a design graph without saving it (the designer calls this as the architect draws): problems naming fields such as vms[web-1].networks, totals, bill of materials, the quote as you may see it',
  })
  @ApiOkResponse({ type: DesignCheckView })
  check(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: DesignGraphDto): Promise<DesignCheckView> {
    return this.solutions.check(principal, id, dto.graph);
  }

  @Post(':id/versions')
  @Roles(...DESIGN_WRITER_ROLES)
  @Idempotent()
  @ApiOperation({ summary: 'Save the whole graph as the next version (immutable). A malformed graph is a 400; problems are returned, not refused' })
  @ApiCreatedResponse({ type: SavedVersionView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'DESIGN_INVALID_GRAPH, naming each field' })
  saveVersion(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: SaveVersionDto): Promise<SavedVersionView> {
    return this.solutions.saveVersion(principal, id, dto);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'The solution’s versions, newest first (without graphs)' })
  @ApiOkResponse({ type: DesignVersionPage })
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<DesignVersionSummaryView>> {
    const [items, total] = await this.solutions.versions(principal, id, query);
    return toPage(items, total, query);
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version: its graph, status, author and the quote taken when it was submitted' })
  @ApiOkResponse({ type: DesignVersionView })
  version(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('version', new ParseIntPipe()) version: number,
  ): Promise<DesignVersionView> {
    return this.solutions.version(principal, id, version);
  }

  @Get(':id/versions/:version/map')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'The version’s network map as SVG (deterministic layout; the same version always gives the same bytes)' })
  @ApiOkResponse({ description: 'an SVG document', schema: { type: 'string' } })
  async map(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('version', new ParseIntPipe()) version: number,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const svg = await this.solutions.map(principal, id, version);
    sendsSvg(response);
    return svg;
  }

  @Post(':id/versions/:version/submissions')
  @HttpCode(202)
  @Roles(...DESIGN_WRITER_ROLES)
  @Idempotent()
  @ApiOperation({
    summary:
      'Submit a version for approval: starts the approval case, or resumes the one waiting for a new version after changes were requested. A version with problems is refused',
  })
  @ApiAcceptedResponse({ type: SubmissionView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'DESIGN_HAS_PROBLEMS, naming each field' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'SOLUTION_NOT_SUBMITTABLE (a version is under approval), DESIGN_VERSION_NOT_SUBMITTABLE' })
  submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('version', new ParseIntPipe()) version: number,
  ): Promise<SubmissionView> {
    return this.solutions.submit(principal, id, version);
  }

  @Post(':id/withdrawals')
  @HttpCode(200)
  @Roles(...DESIGN_WRITER_ROLES)
  @ApiOperation({ summary: 'Withdraw the solution from approval while it waits (closes its open tasks)' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'SOLUTION_NOT_WITHDRAWABLE' })
  @ApiForbiddenResponse({ type: ApiErrorBody })
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: WithdrawSolutionDto,
  ): Promise<SolutionStatusView> {
    return this.solutions.withdraw(principal, id, dto);
  }

  @Post(':id/versions/:version/share-links')
  @Roles(...DESIGN_WRITER_ROLES)
  @ApiOperation({ summary: 'A link to share the version’s network map (only the map) with anyone, e.g. the client; expires, revocable' })
  @ApiCreatedResponse({ type: ShareLinkView })
  createShareLink(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('version', new ParseIntPipe()) version: number,
    @Body() dto: CreateShareLinkDto,
  ): Promise<ShareLinkView> {
    return this.solutions.createShareLink(principal, id, version, dto.expiresInHours);
  }

  @Get(':id/versions/:version/share-links')
  @Roles(...DESIGN_WRITER_ROLES)
  @ApiOperation({ summary: 'The version’s share links, newest first' })
  @ApiOkResponse({ type: [ShareLinkView] })
  shareLinks(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('version', new ParseIntPipe()) version: number,
  ): Promise<ShareLinkView[]> {
    return this.solutions.shareLinksOf(principal, id, version);
  }

  @Post(':id/versions/:version/share-links/:linkId/revocations')
  @HttpCode(200)
  @Roles(...DESIGN_WRITER_ROLES)
  @ApiOperation({ summary: 'Revoke a share link: it stops working at once' })
  @ApiOkResponse({ type: ShareLinkView })
  revokeShareLink(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('version', new ParseIntPipe()) version: number,
    @Param('linkId', new ParseUUIDPipe()) linkId: string,
  ): Promise<ShareLinkView> {
    return this.solutions.revokeShareLink(principal, id, version, linkId);
  }
}
