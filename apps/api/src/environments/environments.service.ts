import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { DomainError, planProblems, ProvisioningErrorCode, type EnvironmentState, type ProvisioningPlan } from '@wholesail/domain';
import type { Environment, Party } from '@wholesail/persistence';
import {
  EnvironmentViews,
  startDeprovisioning,
  startProvisioning,
  startResize,
  type EnvironmentView,
  type ProgressView,
  type StartedOperation,
} from '@wholesail/provisioning';
import { TEMPORAL_CLIENT } from '@wholesail/temporal';
import { TenancyService } from '../tenancy/tenancy.service';
import { assertMayChangeEnvironment, mayReadEnvironments } from './environment-access';

export interface OperationStarted extends StartedOperation {
  solutionId: string;
  progressUrl: string;
}

/**
 * The environments API: reads (tenancy first: a client's environment is visible to whoever sees the
 * client and may read environments; anything else reads as 404) and the entry points that start
 * provisioning, resize and deprovisioning workflows through the provisioning starter.
 */
@Injectable()
export class EnvironmentsService {
  constructor(
    private readonly views: EnvironmentViews,
    private readonly tenancy: TenancyService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(
    principal: Principal,
    query: { clientId?: string; state?: EnvironmentState; limit: number; offset: number },
  ): Promise<[EnvironmentView[], number]> {
    if (!mayReadEnvironments(principal)) return [[], 0];
    return this.views.list({ clients: this.tenancy.visiblePartiesFilter(principal), ...query, withHost: isOperator(principal) });
  }

  async get(principal: Principal, solutionId: string, live: boolean): Promise<EnvironmentView> {
    return this.views.get(await this.visible(principal, solutionId), { live, withHost: isOperator(principal) });
  }

  async progress(principal: Principal, solutionId: string): Promise<ProgressView> {
    return this.views.progress(await this.visible(principal, solutionId));
  }

  /** Operator admins build a plan directly (the approval workflow starts approved versions itself). */
  async provision(principal: Principal, solutionId: string, plan: ProvisioningPlan): Promise<OperationStarted> {
    assertPlanFor(solutionId, plan);
    await this.views.checkPlanParties(plan);
    const started = await startProvisioning(this.temporal, this.config.temporal.taskQueue, plan, principal.ref);
    return { ...started, solutionId, progressUrl: progressUrl(solutionId) };
  }

  async resize(principal: Principal, solutionId: string, plan: ProvisioningPlan): Promise<OperationStarted> {
    assertPlanFor(solutionId, plan);
    await this.visible(principal, solutionId);
    const started = await startResize(this.temporal, this.config.temporal.taskQueue, plan, principal.ref);
    return { ...started, solutionId, progressUrl: progressUrl(solutionId) };
  }

  /** One deprovisioning per generation of the environment: repeated requests join it. */
  async deprovision(principal: Principal, solutionId: string, reason?: string): Promise<OperationStarted> {
    const env = await this.visible(principal, solutionId);
    assertMayChangeEnvironment(principal, env);
    const started = await startDeprovisioning(
      this.temporal,
      this.config.temporal.taskQueue,
      { solutionId, requestedBy: principal.ref, ...(reason ? { reason } : {}) },
      `g${env.generation}`,
    );
    return { ...started, solutionId, progressUrl: progressUrl(solutionId) };
  }

  private async visible(principal: Principal, solutionId: string): Promise<Environment> {
    const env = await this.views.find(solutionId);
    if (!env || !mayReadEnvironments(principal) || !this.tenancy.canSee(principal, env.client as Party)) {
      throw DomainError.notFound(ProvisioningErrorCode.EnvironmentNotFound, `solution ${solutionId} has no environment you can see`);
    }
    return env;
  }
}

function isOperator(principal: Principal): boolean {
  return principal.partyKind === 'operator';
}

function progressUrl(solutionId: string): string {
  return `/environments/${solutionId}/progress`;
}

/** The plan is valid and for this solution; problems are named under `plan.`. */
function assertPlanFor(solutionId: string, plan: ProvisioningPlan): void {
  const problems = planProblems(plan).map((problem) => ({ field: `plan.${problem.field}`, problem: problem.problem }));
  if (!problems.length && plan.solutionId !== solutionId) problems.push({ field: 'plan.solutionId', problem: 'must be the solution in the path' });
  if (problems.length) {
    throw new DomainError(
      ProvisioningErrorCode.InvalidPlan,
      `the provisioning plan is invalid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
      problems,
    );
  }
}
