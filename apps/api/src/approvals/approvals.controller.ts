import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { toPage, type Page } from '../common/pagination';
import { BearerOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { ApprovalsService } from './approvals.service';
import { DecideDto, DecisionResultView, DecisionView, ListDecisionsQuery, ListTasksQuery, TaskPage, TaskView } from './dto/approval.dto';

@ApiTags('approvals')
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get('tasks')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Your approval inbox: the tasks you may decide (open ones by default), soonest deadline first' })
  @ApiOkResponse({ type: TaskPage })
  async inbox(@CurrentPrincipal() principal: Principal, @Query() query: ListTasksQuery): Promise<Page<TaskView>> {
    const [tasks, total] = await this.approvals.inbox(principal, query);
    return toPage(
      tasks.map((t) => TaskView.of(t, this.approvals.canDecide(principal, t))),
      total,
      query,
    );
  }

  @Get('tasks/:taskId')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One task: what is asked, of whom, since when, the deadline, the subject' })
  @ApiOkResponse({ type: TaskView })
  async task(@CurrentPrincipal() principal: Principal, @Param('taskId') taskId: string): Promise<TaskView> {
    const task = await this.approvals.task(principal, taskId);
    return TaskView.of(task, this.approvals.canDecide(principal, task));
  }

  @Post('tasks/:taskId/decisions')
  @HttpCode(200)
  @BearerOnly()
  @ApiOperation({
    summary: 'Approve, reject or request changes. The owning workflow answers at once: accepted, or refused (not yours, already decided, expired).',
  })
  @ApiOkResponse({ type: DecisionResultView })
  @ApiForbiddenResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody })
  decide(@CurrentPrincipal() principal: Principal, @Param('taskId') taskId: string, @Body() dto: DecideDto): Promise<DecisionResultView> {
    return this.approvals.decide(principal, taskId, dto);
  }

  @Get('decisions')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Recorded decisions (who, when, what) on tasks you can see; filter by task or workflow' })
  async decisions(@CurrentPrincipal() principal: Principal, @Query() query: ListDecisionsQuery): Promise<Page<DecisionView>> {
    const [items, total] = await this.approvals.decisions(principal, { taskId: query.taskId, workflowId: query.workflowId }, query);
    return toPage(
      items.map((d) => DecisionView.of(d)),
      total,
      query,
    );
  }
}
