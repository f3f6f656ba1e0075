import { EntityManager, type Platform } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { CHANGE_PARTY_STATUS_WORKFLOW, partyStatusWorkflowId, type ChangePartyStatusInput } from '@wholesail/contracts';
import { assertTransition, DomainError, type PartyKind, type PartyStatus } from '@wholesail/domain';
import { likeContaining, Party, PartyStatusChange, type PartyBranding } from '@wholesail/persistence';
import { TEMPORAL_CLIENT } from '@wholesail/temporal';
import { PageQuery } from '../common/pagination';
import { TenancyService } from '../tenancy/tenancy.service';
import type { ChangeStatusDto, ListPartiesQuery, PartyViewSource, RollUp, WorkflowStatusView } from './dto/party.dto';

@Injectable()
export class PartiesService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A page of the parties the caller sees: the API's hottest read. It runs as two plain SQL
   * statements (page and count, in parallel) from the tenancy owner's SQL rendering, and maps rows
   * straight to views: the query builder and entity hydration cost several times the database's
   * own work here (bench/api).
   */
  async list(principal: Principal, query: ListPartiesQuery): Promise<[PartyViewSource[], number]> {
    const visible = this.tenancy.visiblePartiesSql(this.tenancy.caller(principal), 'p');
    const conditions = [visible.sql];
    const params = [...visible.params];
    const and = (sql: string, ...values: unknown[]) => {
      conditions.push(sql);
      params.push(...values);
    };
    if (query.kind) and('p.kind = ?', query.kind);
    if (query.status) and('p.status = ?', query.status);
    if (query.q) and('(p.name ilike ? or p.code ilike ?)', likeContaining(query.q), likeContaining(query.q));
    const where = conditions.join(' and ');
    const connection = this.em.getConnection();
    const [rows, counted] = await Promise.all([
      connection.execute(`select ${PARTY_COLUMNS} from party p where ${where} order by p.depth, p.name, p.id limit ? offset ?`, [
        ...params,
        query.pageSize,
        query.offset,
      ]),
      connection.execute(`select count(*)::int as total from party p where ${where}`, params, 'get'),
    ]);
    return [(rows as PartyRow[]).map((row) => toViewSource(row, this.em.getPlatform())), (counted as unknown as { total: number }).total];
  }

  /** One party as a view (with its roll-up), read like `list`; unknown and invisible read as 404. */
  async detail(principal: Principal, id: string): Promise<PartyViewSource & { rollUp: RollUp }> {
    const row = (await this.em.getConnection().execute(`select ${PARTY_COLUMNS}, p.path from party p where p.id = ?`, [id], 'get')) as
      (PartyRow & { path: string }) | undefined;
    const party = row ? { ...toViewSource(row, this.em.getPlatform()), path: row.path } : null;
    this.tenancy.assertCanSee(principal, party, id);
    return { ...party, rollUp: await this.rollUp(party) };
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
  async rollUp(party: Pick<Party, 'id' | 'kind' | 'path'>): Promise<RollUp> {
    const counts: RollUp = { distributors: 0, agents: 0, resellers: 0, clients: 0 };
    const below = this.tenancy.visiblePartiesSql(this.tenancy.callerOf(party), 'p');
    const rows = (await this.em
      .getConnection()
      .execute(`select p.kind, count(*)::int as count from party p where ${below.sql} and p.id <> ? group by p.kind`, [...below.params, party.id])) as {
      kind: PartyKind;
      count: number;
    }[];
    const field: Partial<Record<PartyKind, keyof RollUp>> = { distributor: 'distributors', agent: 'agents', reseller: 'resellers', client: 'clients' };
    for (const row of rows) {
      const key = field[row.kind];
      if (key) counts[key] = row.count;
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

/** The columns a party view needs, in the order of PartyRow. */
const PARTY_COLUMNS =
  'p.id, p.kind, p.name, p.code, p.status, p.parent_id, p.found_by_id, p.active_since, p.billing_email, p.notification_email, p.tax_id, p.branding, p.depth, p.created_at';

/** A party row as PostgreSQL returns PARTY_COLUMNS (timestamps as text: the ORM's driver parses them itself). */
interface PartyRow {
  id: string;
  kind: PartyKind;
  name: string;
  code: string;
  status: PartyStatus;
  parent_id: string | null;
  found_by_id: string | null;
  active_since: string | null;
  billing_email: string | null;
  notification_email: string | null;
  tax_id: string | null;
  branding: PartyBranding | null;
  depth: number;
  created_at: string;
}

function toViewSource(row: PartyRow, platform: Platform): PartyViewSource {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    code: row.code,
    status: row.status,
    parent: row.parent_id ? { id: row.parent_id } : null,
    foundBy: row.found_by_id ? { id: row.found_by_id } : null,
    activeSince: row.active_since === null ? null : platform.parseDate(row.active_since),
    billingEmail: row.billing_email,
    notificationEmail: row.notification_email,
    taxId: row.tax_id,
    branding: row.branding,
    depth: row.depth,
    createdAt: platform.parseDate(row.created_at),
  };
}
