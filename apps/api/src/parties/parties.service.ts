import { EntityManager } from '@mikro-orm/postgresql';
import { raw, type FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { CHANGE_PARTY_STATUS_WORKFLOW, partyStatusWorkflowId, type ChangePartyStatusInput } from '@wholesail/contracts';
import { assertTransition, DomainError, type PartyKind } from '@wholesail/domain';
import { likeContaining, Party, PartyStatusChange } from '@wholesail/persistence';
import { TEMPORAL_CLIENT } from '@wholesail/temporal';
import { PageQuery } from '../common/pagination';
import { TenancyService } from '../tenancy/tenancy.service';
import type { ChangeStatusDto, ListPartiesQuery, RollUp, WorkflowStatusView } from './dto/party.dto';

@Injectable()
export class PartiesService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, query: ListPartiesQuery): Promise<[Party[], number]> {
    const where: FilterQuery<Party>[] = [this.tenancy.visiblePartiesFilter(principal)];
    if (query.kind) where.push({ kind: query.kind });
    if (query.status) where.push({ status: query.status });
    if (query.q) where.push({ $or: [{ name: { $ilike: likeContaining(query.q) } }, { code: { $ilike: likeContaining(query.q) } }] });
    return this.em.findAndCount(Party, { $and: where }, { orderBy: { depth: 'asc', name: 'asc', id: 'asc' }, limit: query.pageSize, offset: query.offset });
  }

  async get(principal: Principal, id: string): Promise<Party> {
    const party = await this.em.findOne(Party, { id });
    this.tenancy.assertCanSee(principal, party, id);
    return party;
  }

  async children(principal: Principal, id: string, page: PageQuery): Promise<[Party[], number]> {
    const parent = await this.get(principal, id);
    return this.em.findAndCount(
      Party,
      { $and: [{ parent }, this.tenancy.visiblePartiesFilter(principal)] },
      { orderBy: { name: 'asc', id: 'asc' }, limit: page.pageSize, offset: page.offset },
    );
  }

  /** Counts of partners and clients below a party: what it sees but itself (for an agent, the clients it found). */
  async rollUp(party: Party): Promise<RollUp> {
    const counts: RollUp = { distributors: 0, agents: 0, resellers: 0, clients: 0 };
    const below: FilterQuery<Party> = { $and: [this.tenancy.partiesVisibleTo(this.tenancy.callerOf(party)), { id: { $ne: party.id } }] };
    const rows = await this.em
      .createQueryBuilder(Party)
      .select(['kind', raw('count(*) as count')])
      .where(below)
      .groupBy('kind')
      .execute<{ kind: PartyKind; count: string }[]>('all', false);
    const field: Partial<Record<PartyKind, keyof RollUp>> = { distributor: 'distributors', agent: 'agents', reseller: 'resellers', client: 'clients' };
    for (const row of rows) {
      const key = field[row.kind];
      if (key) counts[key] = Number(row.count);
    }
    return counts;
  }

  /**
   * Starts the status-change workflow. The workflow ID derives from the request's idempotency key
   * and the reuse policy rejects duplicates, so a repeated request joins the first run.
   */
  async requestStatusChange(principal: Principal, id: string, dto: ChangeStatusDto, requestKey: string) {
    const party = await this.get(principal, id);
    this.tenancy.assertCanManage(principal, party);
    assertTransition(party.status, dto.status);
    const workflowId = partyStatusWorkflowId(party.id, requestKey);
    const input: ChangePartyStatusInput = { partyId: party.id, status: dto.status, reason: dto.reason, requestedBy: principal.ref };
    try {
      const handle = await this.temporal.workflow.start(CHANGE_PARTY_STATUS_WORKFLOW, {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      return { workflowId, runId: handle.firstExecutionRunId, started: true };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const description = await this.temporal.workflow.getHandle(workflowId).describe();
      return { workflowId, runId: description.runId, started: false };
    }
  }

  async statusRequest(principal: Principal, id: string, requestKey: string): Promise<WorkflowStatusView> {
    const party = await this.get(principal, id);
    const workflowId = partyStatusWorkflowId(party.id, requestKey);
    const handle = this.temporal.workflow.getHandle(workflowId);
    try {
      const { status } = await handle.describe();
      if (status.name === 'COMPLETED') return { workflowId, status: status.name, result: await handle.result() };
      if (status.name === 'FAILED') {
        const failure = await handle.result().then(
          () => undefined,
          (error: unknown) => (error instanceof WorkflowFailedError ? error.cause : undefined),
        );
        const code = (failure as { type?: string } | undefined)?.type ?? 'WORKFLOW_FAILED';
        return { workflowId, status: status.name, failure: { code, message: failure?.message ?? 'the workflow failed' } };
      }
      return { workflowId, status: status.name };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw DomainError.notFound('STATUS_REQUEST_NOT_FOUND', `no status request ${requestKey} for party ${id}`);
      throw error;
    }
  }

  async statusChanges(principal: Principal, id: string, page: PageQuery): Promise<[PartyStatusChange[], number]> {
    const party = await this.get(principal, id);
    return this.em.findAndCount(PartyStatusChange, { party }, { orderBy: { createdAt: 'desc' }, limit: page.pageSize, offset: page.offset });
  }
}
