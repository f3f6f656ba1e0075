import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  DEFAULT_SOLUTION_POLICY,
  DesignErrorCode,
  DomainError,
  solutionPolicyProblems,
  versionStatusFor,
  type DesignGraph,
  type Quote,
  type SolutionPolicy,
} from '@wholesail/domain';
import type { SolutionStateInput } from '@wholesail/contracts';
import { DesignVersion, Party, Solution, SolutionPolicyRecord } from '@wholesail/persistence';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export interface NewVersion {
  graph: DesignGraph;
  authorId: string;
  authorEmail: string;
  note?: string | null;
}

/** A state change of the approval case (the activity's input), at an instant (now when absent). */
export type SolutionStateChange = SolutionStateInput & { at?: Date };

/**
 * The one writer of solutions, design versions and solution policies, for the API and the approval
 * activities. Uniqueness is the database's: a solution name per client, a version number per
 * solution (numbers come from an atomic counter on the solution), one approved version per solution.
 */
@Injectable()
export class SolutionStore {
  constructor(private readonly em: EntityManager) {}

  async create(client: Party, name: string, createdBy: string): Promise<Solution> {
    const em = this.em.fork();
    const solution = em.create(Solution, { client, name: name.trim(), createdBy, workflowId: '' });
    solution.workflowId = `solution-approval:${solution.id}`;
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw DomainError.conflict(DesignErrorCode.Duplicate, `a solution named ${JSON.stringify(name.trim())} already exists for this client`, [
          { field: 'name', problem: 'is already used by another solution of this client' },
        ]);
      }
      throw error;
    }
    return solution;
  }

  /** Saves the next version of the solution: its number from the solution's counter, in the same transaction. */
  async saveVersion(solutionId: string, version: NewVersion): Promise<DesignVersion> {
    return this.em.fork().transactional(async (em) => {
      const rows: { latest_version: number }[] = await em
        .getConnection()
        .execute(
          'update "solution" set "latest_version" = "latest_version" + 1, "updated_at" = now() where "id" = ? returning "latest_version"',
          [solutionId],
          'all',
          em.getTransactionContext(),
        );
      if (rows.length === 0) throw DomainError.notFound(DesignErrorCode.SolutionNotFound, `solution ${solutionId} does not exist`);
      const created = em.create(DesignVersion, {
        solution: em.getReference(Solution, solutionId),
        version: rows[0].latest_version,
        graph: version.graph,
        authorId: version.authorId,
        authorEmail: version.authorEmail,
        note: version.note ?? null,
      });
      await em.flush();
      return created;
    });
  }

  /** The quote of a submitted version (its graph never changes; the quote is of the latest assessment). */
  async recordQuote(versionId: string, quote: Quote, vcpus: number): Promise<void> {
    await this.em.fork().nativeUpdate(DesignVersion, { id: versionId }, { quote, monthlyTotal: quote.monthlyTotal, currency: quote.currency, vcpus });
  }

  /**
   * The approval case moved: the solution's status, round and current version, and the version's
   * status that follows (an approval supersedes the version approved before). Setting the same state
   * again changes nothing.
   */
  async applyState(change: SolutionStateChange): Promise<void> {
    const at = change.at ?? new Date();
    await this.em.fork().transactional(async (em) => {
      const solution = await em.findOneOrFail(Solution, { id: change.solutionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const version = await em.findOneOrFail(DesignVersion, { id: change.versionId, solution: solution.id });
      const versionStatus = versionStatusFor(change.status);
      if (versionStatus === 'approved' && version.status !== 'approved') {
        await em.nativeUpdate(DesignVersion, { solution: solution.id, status: 'approved', id: { $ne: version.id } }, { status: 'superseded' });
        solution.approvedVersion = version.version;
      }
      if (versionStatus === 'submitted' && version.status !== 'submitted') {
        version.submittedAt = at;
        version.round = change.round;
      }
      if (versionStatus !== 'submitted' && versionStatus !== 'draft' && version.status !== versionStatus) version.decidedAt = at;
      version.status = versionStatus;
      solution.status = change.status;
      solution.round = Math.max(solution.round, change.round);
      solution.currentVersion = version.version;
      solution.statusReason = change.reason ?? null;
      solution.changesRequested = change.status === 'changes-requested' ? (change.changesRequested ?? null) : null;
    });
  }

  async policy(resellerId: string): Promise<SolutionPolicy> {
    const record = await this.em.fork().findOne(SolutionPolicyRecord, { reseller: resellerId });
    return record ? { ...DEFAULT_SOLUTION_POLICY, ...record.policy } : DEFAULT_SOLUTION_POLICY;
  }

  /** Writes a reseller's whole policy, validated; one row per reseller (the database's rule). */
  async setPolicy(reseller: Party, policy: SolutionPolicy, updatedBy: string): Promise<SolutionPolicy> {
    const problems = solutionPolicyProblems(policy);
    if (problems.length) throw new DomainError(DesignErrorCode.InvalidPolicy, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
    const clean: SolutionPolicy = { ...policy, notSold: [...new Set(policy.notSold)].sort() };
    await this.em
      .fork()
      .createQueryBuilder(SolutionPolicyRecord)
      .insert({ id: randomUUID(), reseller: reseller.id, policy: clean, updatedBy, createdAt: new Date(), updatedAt: new Date() })
      .onConflict('reseller_id')
      .merge(['policy', 'updatedBy', 'updatedAt'])
      .execute();
    return clean;
  }
}
