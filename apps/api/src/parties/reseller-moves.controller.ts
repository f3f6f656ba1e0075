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
import { PageQuery, toPage, type Page } from '../common/pagination';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { PartyView } from './dto/party.dto';
import { AssignmentPage, AssignmentView, MoveResellerDto, MoveResultView } from './dto/reseller-move.dto';
import { PartiesService } from './parties.service';
import { ResellerMovesService } from './reseller-moves.service';

@ApiTags('parties')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('parties/:id')
export class ResellerMovesController {
  constructor(
    private readonly moves: ResellerMovesService,
    private readonly parties: PartiesService,
  ) {}

  @Post('moves')
  @Idempotent()
  @Roles('operator-admin')
  @ApiOperation({
    summary: 'Move a reseller, with its sub-resellers and clients, to another distributor, the operator, or under another reseller',
    description:
      'The tree moves at once (the old distributor stops seeing the subtree, the new one sees it). Its distributor assignment changes from effectiveFrom (default now; from the start of the current month in the operator’s time zone at the earliest, never in the future): past periods are never rewritten. Future-dated moves are not supported yet.',
  })
  @ApiCreatedResponse({ type: MoveResultView })
  @ApiBadRequestResponse({
    type: ApiErrorBody,
    description: 'unknown parent, wrong parent kind, a cycle (parentId); effectiveFrom in a past period or the future',
  })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'effectiveFrom overlaps the assignment history' })
  async move(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: MoveResellerDto): Promise<MoveResultView> {
    const { assignmentId, partiesMoved } = await this.moves.move(principal, id, dto);
    const party = await this.parties.get(principal, id);
    return {
      party: { ...PartyView.of(party, principal), rollUp: await this.parties.rollUp(party) },
      assignment: AssignmentView.of(await this.moves.assignment(assignmentId)),
      partiesMoved,
    };
  }

  @Get('assignments')
  @Roles('operator-admin', 'operator-finance', 'distributor-admin', 'reseller-admin')
  @ApiOperation({ summary: 'Which distributor a reseller earned for, and when (oldest first)' })
  @ApiOkResponse({ type: AssignmentPage })
  async assignments(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() page: PageQuery,
  ): Promise<Page<AssignmentView>> {
    const [items, total] = await this.moves.assignments(principal, id, page);
    return toPage(
      items.map((a) => AssignmentView.of(a)),
      total,
      page,
    );
  }
}
