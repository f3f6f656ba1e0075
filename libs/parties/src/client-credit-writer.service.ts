import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  assertAgentFitsClient,
  assertNotInFuture,
  CreditErrorCode,
  DomainError,
  parseInstant,
  PartyErrorCode,
  versionClosedBy,
  type Instant,
} from '@wholesail/domain';
import { ClientAgentCredit, EffectiveDatePolicy, Party } from '@wholesail/persistence';
import { kindsOnPath, lockedParty, treeNode } from './party-writer.service';

export interface Recredit {
  /** The agent credited from `effectiveFrom` on; null: none. */
  agent: Party | null;
  /** Default now; not before the EffectiveDatePolicy's earliest instant, not in the future. */
  effectiveFrom?: Instant;
}

const CREDITS = { field: 'effectiveFrom', what: 'client’s agent credit' };

/**
 * A client's agent credit over time (`client_agent_credit`), effective-dated like a reseller's
 * distributor assignment: the agent earns its cut on the client's usage while credited, so a
 * re-credit in the middle of a period splits that period's cut by time. The history starts when
 * the client is created (PartyWriter) and is extended here; `party.foundBy` mirrors its open span
 * (the agent credited now), which tenancy uses.
 */
@Injectable()
export class ClientCreditWriter {
  constructor(private readonly policy: EffectiveDatePolicy) {}

  /**
   * Credits the client to another agent (of the client's distributor) or to none, from
   * `effectiveFrom`: the open span ends there. Future-dated re-credits are not supported (the
   * agents' view of their clients changes at once).
   */
  async recredit(tx: EntityManager, client: Party, input: Recredit): Promise<ClientAgentCredit> {
    const now = new Date();
    // Locking the client serialises its re-credits, so two concurrent ones cannot both close one span.
    const owner = await lockedParty(tx, client);
    if (owner.kind !== 'client') throw DomainError.invalid(PartyErrorCode.NotAClient, 'id', `is a ${owner.kind}: only a client is credited to an agent`);
    if (input.agent) {
      const parent = await tx.findOneOrFail(Party, { id: owner.parent!.id });
      assertAgentFitsClient(treeNode(input.agent), treeNode(parent), await kindsOnPath(tx, parent.path), 'agentId');
      if (input.agent.status === 'closed') throw DomainError.invalid(PartyErrorCode.InvalidAgent, 'agentId', 'is closed');
    }
    const from = input.effectiveFrom !== undefined ? parseInstant(input.effectiveFrom, 'effectiveFrom') : now;
    assertNotInFuture(from, now, { ...CREDITS, code: CreditErrorCode.EffectiveInFuture });
    await this.policy.assertAllowed(tx, from, now, { ...CREDITS, code: CreditErrorCode.EffectiveInPast });

    const rows = await tx.find(ClientAgentCredit, { client: owner }, { orderBy: { effectiveFrom: 'asc' } });
    const agentId = input.agent?.id ?? null;
    const open = rows.find((row) => row.effectiveTo == null);
    if (open && (open.agent?.id ?? null) === agentId)
      throw DomainError.invalid(
        CreditErrorCode.NoChange,
        'agentId',
        agentId ? 'is already the agent credited with this client' : 'the client is credited to no agent already',
      );
    const closing = versionClosedBy(rows, { from }, { ...CREDITS, code: CreditErrorCode.Overlap });
    if (closing) {
      closing.effectiveTo = from;
      // Closed before the new span is inserted: one open span per client is a unique index.
      await tx.flush();
    }
    const created = tx.create(ClientAgentCredit, { client: owner, agent: input.agent, effectiveFrom: from, effectiveTo: null });
    owner.foundBy = input.agent;
    await tx.flush();
    return created;
  }
}
