import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import type { ArchitectEmail, DesignAssessment, SolutionOwnActivities } from '@wholesail/contracts';
import { DesignAssessor, SolutionStore } from '@wholesail/designs';
import { DesignErrorCode, DomainError } from '@wholesail/domain';
import { DesignVersion, User } from '@wholesail/persistence';
import { withDomainFailures } from '@wholesail/temporal';
import { EmailOutbox } from '../mail/email-outbox.service';

type Input<K extends keyof SolutionOwnActivities> = Parameters<SolutionOwnActivities[K]>[0];

/**
 * The solution-approval workflow's own activities; its human steps use activities/approvals. Every
 * write goes through the designs library's one writer (SolutionStore), which the API uses too; each
 * activity is idempotent given its arguments (see SolutionOwnActivities).
 */
@Injectable()
export class SolutionApprovalActivities implements SolutionOwnActivities {
  constructor(
    private readonly em: EntityManager,
    private readonly store: SolutionStore,
    private readonly assessor: DesignAssessor,
    private readonly outbox: EmailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  assessDesignVersion(input: Input<'assessDesignVersion'>): Promise<DesignAssessment> {
    return withDomainFailures(async () => {
      const version = await this.version(input.solutionId, input.versionId);
      const client = version.solution.client;
      const check = await this.assessor.check(client, version.graph);
      const policy = await this.store.policy(client.parent!.id);
      const problems = [...check.problems];
      if (check.quoteError) problems.push({ field: 'quote', problem: `cannot be priced: ${check.quoteError.message}` });
      if (problems.length > 0 || !check.quote) return { problems, policy };
      await this.store.recordQuote(version.id, check.quote, check.totals.vcpus);
      return { problems, policy, weight: { monthlyTotal: check.quote.monthlyTotal, currency: check.quote.currency, vcpus: check.totals.vcpus } };
    });
  }

  setSolutionStatus(input: Input<'setSolutionStatus'>): Promise<void> {
    return withDomainFailures(() => this.store.applyState(input));
  }

  sendArchitectEmail(input: Input<'sendArchitectEmail'>): Promise<void> {
    return withDomainFailures(async () => {
      const version = await this.version(input.solutionId, input.versionId);
      const author = await this.em.fork().findOne(User, { id: version.authorId });
      const solution = version.solution;
      await this.outbox.send({
        idempotencyKey: input.idempotencyKey,
        template: input.template,
        to: author?.email ?? version.authorEmail,
        data: {
          recipientName: author?.displayName ?? version.authorEmail,
          solutionName: solution.name,
          clientName: solution.client.name,
          versionNo: version.version,
          solutionUrl: `${this.config.publicUrl}/solutions/${solution.id}`,
          ...templateData(input, version),
        },
        subjectRef: `solution:${solution.id}`,
      });
    });
  }

  private async version(solutionId: string, versionId: string): Promise<DesignVersion> {
    const version = await this.em
      .fork()
      .findOne(DesignVersion, { id: versionId, solution: solutionId }, { populate: ['solution', 'solution.client', 'solution.client.parent'] });
    if (!version) throw DomainError.notFound(DesignErrorCode.VersionNotFound, `version ${versionId} of solution ${solutionId} does not exist`);
    return version;
  }
}

/** What each architect template needs beyond the common fields. */
function templateData(email: ArchitectEmail, version: DesignVersion): Record<string, unknown> {
  switch (email.template) {
    case 'solution-changes-requested':
      return { ...email.data, ...(version.solution.changesRequested?.byEmail ? { requestedBy: version.solution.changesRequested.byEmail } : {}) };
    case 'solution-approved':
      return version.quote ? { monthlyTotal: `${version.quote.monthlyTotal} ${version.quote.currency}` } : {};
    case 'solution-rejected':
    case 'solution-expired':
      return email.data;
  }
}
