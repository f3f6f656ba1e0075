import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import {
  SOLUTION_APPROVAL_WORKFLOW,
  solutionApprovalWorkflowId,
  submitVersionUpdate,
  withdrawSolutionUpdate,
  type SolutionApprovalInput,
  type SolutionStatusView,
} from '@wholesail/contracts';
import { DesignAssessor, renderNetworkMap, ShareLinks, SolutionStore, SHARE_LINK_DEFAULT_HOURS, type DesignCheck } from '@wholesail/designs';
import {
  DesignErrorCode,
  DomainError,
  Money,
  quoteForClient,
  quoteForTier,
  readDesignGraph,
  submissionKind,
  type DomainErrorKind,
  type Quote,
} from '@wholesail/domain';
import { DesignShareLink, DesignVersion, Party, Solution } from '@wholesail/persistence';
import { executeUpdateOrRefuse, TEMPORAL_CLIENT } from '@wholesail/temporal';
import type { PageQuery } from '../common/pagination';
import type { QuoteView } from '../pricing/dto/quote.dto';
import { TenancyService } from '../tenancy/tenancy.service';
import { assertMayWriteDesigns, mayReadDesigns } from './solution-access';
import type {
  CreateSolutionDto,
  DesignCheckView,
  DesignVersionSummaryView,
  DesignVersionView,
  ListSolutionsQuery,
  SaveVersionDto,
  ShareLinkView,
  SolutionView,
  SubmissionView,
  WithdrawSolutionDto,
} from './dto/solution.dto';

const REFUSAL_KIND: Record<string, DomainErrorKind> = {
  [DesignErrorCode.NotSubmittable]: 'conflict',
  [DesignErrorCode.NotWithdrawable]: 'conflict',
  [DesignErrorCode.InvalidInput]: 'invalid',
};
/** Versions that may be submitted: never submitted, or back from a case that was withdrawn or expired. */
const SUBMITTABLE_VERSIONS = ['draft', 'withdrawn', 'expired'];

/**
 * Solutions and their design versions over HTTP: reads scoped by tenancy (distributors and agents
 * never see designs), writes for the client's own reseller, every write through the designs
 * library's one writer, approvals through the workflow `solution-approval:<id>`.
 */
@Injectable()
export class SolutionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly store: SolutionStore,
    private readonly assessor: DesignAssessor,
    private readonly shareLinks: ShareLinks,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, dto: CreateSolutionDto): Promise<SolutionView> {
    const client = await this.em.findOne(Party, { id: dto.clientId }, { populate: ['parent'] });
    if (!client || !mayReadDesigns(principal) || !this.tenancy.canSee(principal, client))
      throw DomainError.invalid('SOLUTION_UNKNOWN_CLIENT', 'clientId', 'does not exist');
    if (client.kind !== 'client') throw DomainError.invalid('SOLUTION_NOT_A_CLIENT', 'clientId', 'is not a client');
    assertMayWriteDesigns(principal, client);
    return this.view(await this.store.create(client, dto.name, principal.ref), client);
  }

  async list(principal: Principal, query: ListSolutionsQuery): Promise<[SolutionView[], number]> {
    if (!mayReadDesigns(principal)) return [[], 0];
    const where: FilterQuery<Solution> = { client: this.tenancy.visiblePartiesFilter(principal) };
    if (query.clientId) Object.assign(where, { client: { $and: [{ id: query.clientId }, this.tenancy.visiblePartiesFilter(principal)] } });
    if (query.status) Object.assign(where, { status: query.status });
    const [rows, total] = await this.em.findAndCount(Solution, where, {
      populate: ['client'],
      orderBy: { updatedAt: 'desc', id: 'asc' },
      limit: query.pageSize,
      offset: query.offset,
    });
    return [rows.map((s) => this.view(s, s.client)), total];
  }

  async get(principal: Principal, id: string): Promise<SolutionView> {
    const solution = await this.visible(principal, id);
    return this.view(solution, solution.client);
  }

  /** The designer's live check: validation and the quote at the client's prices, nothing stored. */
  async check(principal: Principal, id: string, graph: unknown): Promise<DesignCheckView> {
    const solution = await this.visible(principal, id);
    const reading = readDesignGraph(graph);
    if (!reading.graph) return { valid: false, problems: reading.problems, totals: null, billOfMaterials: [], unpriced: [], quote: null, quoteError: null };
    return this.checkView(principal, await this.assessor.check(solution.client, reading.graph));
  }

  async saveVersion(principal: Principal, id: string, dto: SaveVersionDto): Promise<DesignVersionView & { check: DesignCheckView }> {
    const solution = await this.visible(principal, id);
    assertMayWriteDesigns(principal, solution.client);
    const reading = readDesignGraph(dto.graph);
    if (!reading.graph) {
      throw new DomainError(DesignErrorCode.InvalidGraph, reading.problems.map((p) => `${p.field} ${p.problem}`).join('; '), reading.problems);
    }
    const saved = await this.store.saveVersion(solution.id, {
      graph: reading.graph,
      authorId: principal.id,
      authorEmail: principal.email ?? principal.ref,
      note: dto.note?.trim() || null,
    });
    const check = this.checkView(principal, await this.assessor.check(solution.client, reading.graph));
    return { ...this.versionView(principal, solution, saved), check };
  }

  async versions(principal: Principal, id: string, page: PageQuery): Promise<[DesignVersionSummaryView[], number]> {
    const solution = await this.visible(principal, id);
    const [rows, total] = await this.em.findAndCount(
      DesignVersion,
      { solution: solution.id },
      { orderBy: { version: 'desc' }, limit: page.pageSize, offset: page.offset, exclude: ['graph', 'quote'] },
    );
    return [rows.map((v) => summaryView(solution, v as DesignVersion)), total];
  }

  async version(principal: Principal, id: string, versionNo: number): Promise<DesignVersionView> {
    const solution = await this.visible(principal, id);
    return this.versionView(principal, solution, await this.versionOf(solution, versionNo));
  }

  async map(principal: Principal, id: string, versionNo: number): Promise<string> {
    const solution = await this.visible(principal, id);
    const version = await this.versionOf(solution, versionNo);
    return renderNetworkMap(version.graph, { title: mapTitle(solution, version) });
  }

  async submit(principal: Principal, id: string, versionNo: number): Promise<SubmissionView> {
    const solution = await this.visible(principal, id);
    assertMayWriteDesigns(principal, solution.client);
    const version = await this.versionOf(solution, versionNo);
    if (!SUBMITTABLE_VERSIONS.includes(version.status)) {
      throw DomainError.conflict('DESIGN_VERSION_NOT_SUBMITTABLE', `version ${versionNo} is ${version.status}: save a new version to submit the design again`);
    }
    const check = await this.assessor.check(solution.client, version.graph);
    const problems = [...check.problems, ...(check.quoteError ? [{ field: 'quote', problem: `cannot be priced: ${check.quoteError.message}` }] : [])];
    if (problems.length) {
      throw new DomainError(
        DesignErrorCode.HasProblems,
        `version ${versionNo} has problems: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
        problems,
      );
    }
    const base = { solutionId: solution.id, workflowId: solution.workflowId, versionNo: version.version };
    switch (submissionKind(solution.status)) {
      case 'refuse':
        throw DomainError.conflict(
          DesignErrorCode.NotSubmittable,
          `version ${solution.currentVersion} of this solution is under approval (${solution.status}): withdraw it first`,
        );
      case 'resume': {
        const view = await this.update(solution, () =>
          this.temporal.workflow
            .getHandle(solution.workflowId)
            .executeUpdate(submitVersionUpdate, { args: [{ versionId: version.id, versionNo: version.version, by: principal.ref }] }),
        );
        return { ...base, round: view.round, status: view.status, case: 'resumed' };
      }
      case 'start': {
        const input: SolutionApprovalInput = {
          solutionId: solution.id,
          solutionName: solution.name,
          clientId: solution.client.id,
          clientName: solution.client.name,
          operatorPartyId: (await this.em.findOneOrFail(Party, { kind: 'operator' })).id,
          versionId: version.id,
          versionNo: version.version,
          round: solution.round + 1,
        };
        try {
          await this.temporal.workflow.start(SOLUTION_APPROVAL_WORKFLOW, {
            workflowId: solutionApprovalWorkflowId(solution.id),
            taskQueue: this.config.temporal.taskQueue,
            args: [input],
            workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          throw DomainError.conflict(DesignErrorCode.NotSubmittable, 'a version of this solution is already under approval');
        }
        return { ...base, round: input.round, status: 'validating', case: 'started' };
      }
    }
  }

  async withdraw(principal: Principal, id: string, dto: WithdrawSolutionDto): Promise<SolutionStatusView> {
    const solution = await this.visible(principal, id);
    assertMayWriteDesigns(principal, solution.client);
    return this.update(solution, () =>
      this.temporal.workflow
        .getHandle(solution.workflowId)
        .executeUpdate(withdrawSolutionUpdate, { args: [{ by: principal.ref, ...(dto.reason?.trim() ? { reason: dto.reason.trim() } : {}) }] }),
    );
  }

  async createShareLink(principal: Principal, id: string, versionNo: number, hours?: number): Promise<ShareLinkView> {
    const solution = await this.visible(principal, id);
    assertMayWriteDesigns(principal, solution.client);
    const version = await this.versionOf(solution, versionNo);
    return this.linkView(await this.shareLinks.create(version, principal.ref, hours ?? SHARE_LINK_DEFAULT_HOURS), version);
  }

  async shareLinksOf(principal: Principal, id: string, versionNo: number): Promise<ShareLinkView[]> {
    const solution = await this.visible(principal, id);
    assertMayWriteDesigns(principal, solution.client);
    const version = await this.versionOf(solution, versionNo);
    return (await this.shareLinks.list(version.id)).map((link) => this.linkView(link, version));
  }

  async revokeShareLink(principal: Principal, id: string, versionNo: number, linkId: string): Promise<ShareLinkView> {
    const solution = await this.visible(principal, id);
    assertMayWriteDesigns(principal, solution.client);
    const version = await this.versionOf(solution, versionNo);
    return this.linkView(await this.shareLinks.revoke(version.id, linkId, principal.ref), version);
  }

  /** The public map behind a share link: the version's network map, nothing else. */
  async sharedMap(token: string): Promise<string> {
    const version = await this.shareLinks.resolve(token);
    return renderNetworkMap(version.graph, { title: mapTitle(version.solution, version) });
  }

  /** A solution the caller may read; unknown and invisible ones are both 404. */
  private async visible(principal: Principal, id: string): Promise<Solution> {
    const solution = await this.em.findOne(Solution, { id }, { populate: ['client', 'client.parent'] });
    if (!solution || !mayReadDesigns(principal) || !this.tenancy.canSee(principal, solution.client))
      throw DomainError.notFound(DesignErrorCode.SolutionNotFound, `solution ${id} does not exist or is not visible to you`);
    return solution;
  }

  private async versionOf(solution: Solution, versionNo: number): Promise<DesignVersion> {
    const version = await this.em.findOne(DesignVersion, { solution: solution.id, version: versionNo });
    if (!version) throw DomainError.notFound(DesignErrorCode.VersionNotFound, `solution ${solution.id} has no version ${versionNo}`);
    return version;
  }

  private update(solution: Solution, call: () => Promise<SolutionStatusView>): Promise<SolutionStatusView> {
    return executeUpdateOrRefuse(call, {
      kinds: REFUSAL_KIND,
      fallbackCode: 'SOLUTION_REFUSED',
      ended: () => DomainError.conflict(DesignErrorCode.NotWithdrawable, `solution ${solution.id} is ${solution.status}: no approval is running`),
    });
  }

  private view(solution: Solution, client: Party): SolutionView {
    return {
      id: solution.id,
      clientId: client.id,
      clientName: client.name,
      name: solution.name,
      status: solution.status,
      workflowId: solution.workflowId,
      round: solution.round,
      latestVersion: solution.latestVersion,
      currentVersion: solution.currentVersion ?? null,
      approvedVersion: solution.approvedVersion ?? null,
      statusReason: solution.statusReason ?? null,
      changesRequested: solution.changesRequested ?? null,
      createdAt: solution.createdAt.toISOString(),
      updatedAt: solution.updatedAt.toISOString(),
    };
  }

  private versionView(principal: Principal, solution: Solution, version: DesignVersion): DesignVersionView {
    return {
      ...summaryView(solution, version),
      graph: version.graph as unknown as Record<string, unknown>,
      quote: version.quote ? this.quoteView(principal, version.quote) : null,
      mapUrl: `/solutions/${solution.id}/versions/${version.version}/map`,
    };
  }

  private checkView(principal: Principal, check: DesignCheck): DesignCheckView {
    return {
      valid: check.problems.length === 0 && check.quoteError === null,
      problems: check.problems,
      totals: check.totals,
      billOfMaterials: check.billOfMaterials.map((line) => ({ sku: line.sku, quantity: String(line.quantity), ref: line.ref ?? '' })),
      unpriced: check.unpriced,
      quote: check.quote ? this.quoteView(principal, check.quote) : null,
      quoteError: check.quoteError,
    };
  }

  /** The quote as the caller may see it (as POST /quotes shows it). */
  private quoteView(principal: Principal, quote: Quote): QuoteView {
    switch (principal.partyKind) {
      case 'operator':
        return { view: 'operator', ...quote };
      case 'reseller':
        return { view: 'reseller', ...quoteForTier(quote, principal.partyId) };
      default:
        return { view: 'client', ...quoteForClient(quote) };
    }
  }

  private linkView(link: DesignShareLink, version: DesignVersion): ShareLinkView {
    return {
      id: link.id,
      versionId: version.id,
      url: this.shareLinks.url(link),
      expiresAt: link.expiresAt.toISOString(),
      revokedAt: link.revokedAt?.toISOString() ?? null,
      createdBy: link.createdBy,
      createdAt: link.createdAt.toISOString(),
    };
  }
}

function summaryView(solution: Solution, version: DesignVersion): DesignVersionSummaryView {
  return {
    id: version.id,
    solutionId: solution.id,
    version: version.version,
    status: version.status,
    authorId: version.authorId,
    authorEmail: version.authorEmail,
    note: version.note ?? null,
    createdAt: version.createdAt.toISOString(),
    round: version.round ?? null,
    submittedAt: version.submittedAt?.toISOString() ?? null,
    decidedAt: version.decidedAt?.toISOString() ?? null,
    monthlyTotal: version.monthlyTotal && version.currency ? Money.of(version.monthlyTotal, version.currency).toString() : null,
    currency: version.currency ?? null,
    vcpus: version.vcpus ?? null,
  };
}

function mapTitle(solution: Solution, version: DesignVersion): string {
  return `${solution.name}, version ${version.version}`;
}
