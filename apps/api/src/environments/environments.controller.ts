import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { Idempotent } from '../common/idempotency.interceptor';
import { toPage, type Page } from '../common/pagination';
import {
  DeprovisionDto,
  EnvironmentPage,
  EnvironmentQuery,
  EnvironmentView,
  ListEnvironmentsQuery,
  OperationStartedView,
  PlanBodyDto,
  ProgressView,
} from './dto/environment.dto';
import { ENVIRONMENT_WRITER_ROLES } from './environment-access';
import { EnvironmentsService } from './environments.service';

/**
 * Each solution's environment: its resources with their live state, the progress of the operation
 * running on it, and the entry points of deprovisioning and resizing. The operator, resellers (their
 * clients' environments) and clients (their own) read; distributors and agents never do.
 */
@ApiTags('environments')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentsService) {}

  @Get()
  @ApiOperation({ summary: 'Environments you may see: your clients’ (resellers, also below you), your own (client users), all (operator)' })
  @ApiOkResponse({ type: EnvironmentPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListEnvironmentsQuery): Promise<Page<unknown>> {
    const [items, total] = await this.environments.list(principal, {
      clientId: query.clientId,
      state: query.state,
      limit: query.pageSize,
      offset: query.offset,
    });
    return toPage(items, total, query);
  }

  @Get(':solutionId')
  @ApiOperation({
    summary: 'A solution’s environment: its resources with their hypervisor ids and, for VMs, the live state their host reports (within 3 s, else `unknown`)',
  })
  @ApiOkResponse({ type: EnvironmentView })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'ENVIRONMENT_NOT_FOUND (also when you may not see it)' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('solutionId', new ParseUUIDPipe()) solutionId: string,
    @Query() query: EnvironmentQuery,
  ): Promise<unknown> {
    return this.environments.get(principal, solutionId, query.live !== 'false');
  }

  @Get(':solutionId/progress')
  @ApiOperation({ summary: 'The running (or last) operation: phase, steps done of total, each step as it happened, each resource’s state. Cheap: poll it' })
  @ApiOkResponse({ type: ProgressView })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'ENVIRONMENT_NOT_FOUND' })
  progress(@CurrentPrincipal() principal: Principal, @Param('solutionId', new ParseUUIDPipe()) solutionId: string): Promise<unknown> {
    return this.environments.progress(principal, solutionId);
  }

  @Post(':solutionId/provisionings')
  @HttpCode(202)
  @Idempotent()
  @Roles('operator-admin')
  @ApiOperation({
    summary: 'Provision a plan directly (operator admins; approved design versions start provisioning from their approval)',
    description: 'Starts `provisioning:<solutionId>:<designVersionId>`; the same plan again joins the running workflow, or finds the version running.',
  })
  @ApiAcceptedResponse({ type: OperationStartedView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'PROVISIONING_INVALID_PLAN naming each field (plan.vms[web].networks[0], …)' })
  @ApiForbiddenResponse({ type: ApiErrorBody })
  provision(
    @CurrentPrincipal() principal: Principal,
    @Param('solutionId', new ParseUUIDPipe()) solutionId: string,
    @Body() body: PlanBodyDto,
  ): Promise<OperationStartedView> {
    return this.environments.provision(principal, solutionId, body.plan);
  }

  @Post(':solutionId/resizes')
  @HttpCode(202)
  @Idempotent()
  @Roles('operator-admin')
  @ApiOperation({
    summary: 'Apply a new plan to the running environment as a diff (operator admins; approved versions resize from their approval)',
    description:
      'Starts `resize:<solutionId>:<designVersionId>`: adds, resizes (power off, resize, power on) and removes; refuses changes the drivers cannot make in place.',
  })
  @ApiAcceptedResponse({ type: OperationStartedView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'PROVISIONING_INVALID_PLAN' })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'ENVIRONMENT_NOT_FOUND' })
  resize(
    @CurrentPrincipal() principal: Principal,
    @Param('solutionId', new ParseUUIDPipe()) solutionId: string,
    @Body() body: PlanBodyDto,
  ): Promise<OperationStartedView> {
    return this.environments.resize(principal, solutionId, body.plan);
  }

  @Post(':solutionId/deprovisionings')
  @HttpCode(202)
  @Idempotent()
  @Roles(...ENVIRONMENT_WRITER_ROLES, 'operator-admin')
  @ApiOperation({
    summary: 'Take the environment down: destroy its VMs and networks, stop their usage, release the capacity',
    description:
      'The client’s own reseller (architect, reseller-admin) or an operator admin. One deprovisioning per generation of the environment: repeats join it.',
  })
  @ApiAcceptedResponse({ type: OperationStartedView })
  @ApiForbiddenResponse({ type: ApiErrorBody, description: 'ENVIRONMENT_FORBIDDEN' })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'ENVIRONMENT_NOT_FOUND' })
  @ApiConflictResponse({ type: ApiErrorBody })
  deprovision(
    @CurrentPrincipal() principal: Principal,
    @Param('solutionId', new ParseUUIDPipe()) solutionId: string,
    @Body() body: DeprovisionDto,
  ): Promise<OperationStartedView> {
    return this.environments.deprovision(principal, solutionId, body.reason);
  }
}
