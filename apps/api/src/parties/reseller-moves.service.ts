import { raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import {
  assertNoCycle,
  assertNotBefore,
  assertNotInFuture,
  assertParentKind,
  childPath,
  distributorIdOf,
  DomainError,
  parseInstant,
  pathIds,
  versionClosedBy,
  type PartyKind,
} from '@wholesail/domain';
import { treeNode } from '@wholesail/parties';
import { EffectiveDatePolicy, lockPartyTree, Party, ResellerAssignment, subtreeFilter } from '@wholesail/persistence';
import { PageQuery } from '../common/pagination';
import { TenancyService } from '../tenancy/tenancy.service';
import type { MoveResellerDto } from './dto/reseller-move.dto';
import { PartiesService } from './parties.service';

const ASSIGNMENTS = { field: 'effectiveFrom', what: 'distributor assignment' };
const OVERLAP = { ...ASSIGNMENTS, code: 'PARTY_MOVE_OVERLAP' };

/**
 * Moving a reseller (with its sub-resellers and clients) to another distributor, to the operator,
 * or under another reseller. The tenancy tree moves at once; for billing, the reseller's
 * distributor assignment changes from `effectiveFrom`, which may reach back as far as
 * EffectiveDatePolicy allows (the start of the earliest billing period not yet finalised) but never
 * into a finalised period. Future-dated moves are not supported yet.
 */
@Injectable()
export class ResellerMovesService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly parties: PartiesService,
    private readonly policy: EffectiveDatePolicy,
  ) {}

  async move(principal: Principal, id: string, dto: MoveResellerDto): Promise<{ assignmentId: string; partiesMoved: number }> {
    const now = new Date();
    const from = dto.effectiveFrom !== undefined ? parseInstant(dto.effectiveFrom, 'effectiveFrom') : now;
    assertNotInFuture(from, now, { ...ASSIGNMENTS, code: 'PARTY_MOVE_IN_FUTURE' });

    const result = await this.em.transactional(async (tx) => {
      // Exclusive: no party is created, and no other move runs, while paths are rewritten.
      await lockPartyTree(tx, 'exclusive');
      const earliest = await this.policy.earliestAllowed(tx, now);
      assertNotBefore(from, earliest, { ...ASSIGNMENTS, code: 'PARTY_MOVE_IN_PAST' });
      const reseller = await tx.findOne(Party, { id });
      this.tenancy.assertCanSee(principal, reseller, id);
      if (reseller.kind !== 'reseller') throw DomainError.invalid('PARTY_NOT_A_RESELLER', 'id', `is a ${reseller.kind}: only a reseller can be moved`);
      const parent = await tx.findOne(Party, { id: dto.parentId });
      if (!parent || !this.tenancy.canSee(principal, parent)) throw DomainError.invalid('PARTY_UNKNOWN_PARENT', 'parentId', 'does not exist');
      assertParentKind('reseller', parent.kind);
      assertNoCycle(treeNode(reseller), treeNode(parent));
      if (reseller.parent?.id === parent.id) throw DomainError.invalid('PARTY_MOVE_NO_CHANGE', 'parentId', 'is already the reseller’s parent');
      if (parent.status === 'closed') throw DomainError.invalid('PARTY_INVALID_PARENT', 'parentId', 'is closed');

      const kinds = new Map<string, PartyKind>(
        (await tx.find(Party, { id: { $in: [...pathIds(reseller.path), ...pathIds(parent.path)] } }, { fields: ['id', 'kind'] })).map((p) => [p.id, p.kind]),
      );
      const oldDistributorId = distributorIdOf(reseller, kinds);
      const newDistributorId = distributorIdOf(parent, kinds);
      const newDistributor = newDistributorId ? tx.getReference(Party, newDistributorId) : null;

      // The moved reseller's history: close the open assignment at `from`, or, for a reseller that
      // has none open (a sub-reseller), record where it was until then, from its last assignment's
      // end but never inside a finalised period; then open the new one.
      const own = await tx.find(ResellerAssignment, { reseller }, { orderBy: { effectiveFrom: 'asc' } });
      const closing = versionClosedBy(own, { from }, OVERLAP);
      if (closing) closing.effectiveTo = from;
      else {
        const lastEnd = own.at(-1)?.effectiveTo;
        const since = lastEnd && lastEnd.getTime() > earliest.at.getTime() ? lastEnd : earliest.at;
        if (since.getTime() < from.getTime())
          tx.create(ResellerAssignment, {
            reseller,
            distributor: oldDistributorId ? tx.getReference(Party, oldDistributorId) : null,
            effectiveFrom: since,
            effectiveTo: from,
          });
      }
      const assignment = tx.create(ResellerAssignment, { reseller, distributor: newDistributor, effectiveFrom: from });

      // Sub-resellers below it that carry their own assignment (from an earlier move) follow it.
      const below = await tx.find(
        ResellerAssignment,
        { reseller: { $and: [subtreeFilter(reseller.path), { id: { $ne: reseller.id } }] }, effectiveTo: null },
        { populate: ['distributor'] },
      );
      for (const open of below.filter((a) => (a.distributor?.id ?? null) !== newDistributorId)) {
        const history = await tx.find(ResellerAssignment, { reseller: open.reseller }, { orderBy: { effectiveFrom: 'asc' } });
        versionClosedBy(history, { from }, OVERLAP)!.effectiveTo = from;
        tx.create(ResellerAssignment, { reseller: open.reseller, distributor: newDistributor, effectiveFrom: from });
      }

      // The reseller and its whole subtree, in one statement: swap the path prefix, shift the depth.
      const oldPrefix = reseller.path;
      const newPrefix = childPath(parent.path, reseller.id);
      const updated = await tx
        .createQueryBuilder(Party)
        .update({
          path: raw('? || substr(path, ?)', [newPrefix, oldPrefix.length + 1]),
          depth: raw('depth + ?', [parent.depth + 1 - reseller.depth]),
          updatedAt: now,
        })
        .where(subtreeFilter(oldPrefix))
        .execute('run');
      await tx.nativeUpdate(Party, { id: reseller.id }, { parent: parent.id });
      await tx.flush();
      return { assignmentId: assignment.id, partiesMoved: updated.affectedRows };
    });
    // The transaction's entities merge back into this request's context with the paths they had
    // before the UPDATE above; drop them so what the caller reads next comes from the database.
    this.em.clear();
    return result;
  }

  async assignment(id: string): Promise<ResellerAssignment> {
    return this.em.fork().findOneOrFail(ResellerAssignment, { id }, { populate: ['distributor'] });
  }

  async assignments(principal: Principal, id: string, page: PageQuery): Promise<[ResellerAssignment[], number]> {
    const party = await this.parties.get(principal, id);
    return this.em.findAndCount(
      ResellerAssignment,
      { reseller: party },
      { populate: ['distributor'], orderBy: { effectiveFrom: 'asc', createdAt: 'asc' }, limit: page.pageSize, offset: page.offset },
    );
  }
}
