import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import type { ChangePartyStatusInput, ChangePartyStatusResult } from '@wholesail/contracts';
import { assertTransition, DomainError, stripControlCharacters } from '@wholesail/domain';
import { Party, PartyStatusChange } from '@wholesail/persistence';
import { withDomainFailures } from '@wholesail/temporal';

/** Activities of the party-status workflow. Each method is idempotent and runs in its own ORM fork. */
@Injectable()
export class PartyStatusActivities {
  constructor(private readonly em: EntityManager) {}

  async applyPartyStatus(input: ChangePartyStatusInput): Promise<ChangePartyStatusResult> {
    // The workflow ID is the business key of the request: it makes this write idempotent.
    const workflowId = Context.current().info.workflowExecution?.workflowId ?? `party-status:${input.partyId}:direct`;
    return withDomainFailures(() =>
      this.em.fork().transactional(async (em) => {
        const already = await em.findOne(PartyStatusChange, { workflowId });
        if (already) {
          return {
            partyId: input.partyId,
            previousStatus: already.fromStatus,
            status: already.toStatus,
            changed: false,
            appliedAt: already.createdAt.toISOString(),
          };
        }
        const party = await em.findOne(Party, { id: input.partyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!party) throw DomainError.notFound('PARTY_NOT_FOUND', `party ${input.partyId} does not exist`);
        assertTransition(party.status, input.status);
        const previousStatus = party.status;
        party.status = input.status;
        const change = em.create(PartyStatusChange, {
          party,
          fromStatus: previousStatus,
          toStatus: input.status,
          // The API refuses control characters; should one get in anyway, it must not fail the workflow.
          reason: stripControlCharacters(input.reason),
          requestedBy: stripControlCharacters(input.requestedBy),
          workflowId,
        });
        await em.flush();
        return { partyId: party.id, previousStatus, status: input.status, changed: previousStatus !== input.status, appliedAt: change.createdAt.toISOString() };
      }),
    );
  }
}
