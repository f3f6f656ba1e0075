import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { SolutionStore } from '@wholesail/designs';
import { DesignErrorCode, DomainError, type FieldProblem, type SolutionPolicy } from '@wholesail/domain';
import { CatalogItem, Party, SolutionPolicyRecord, User } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { SolutionPolicyView, UpdateSolutionPolicyDto } from './dto/solution.dto';

/** What a reseller's own admin may set; the rest (operator approval, waits) is the operator's. */
const RESELLER_FIELDS = ['clientAcceptance', 'notSold'] as const;

/**
 * Resellers' solution policies: read by the operator and by resellers at or above the reseller;
 * changed by operator-admins (everything) and the reseller's own admin (client acceptance and the
 * items it does not sell). Written through the designs library's one writer.
 */
@Injectable()
export class SolutionPoliciesService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly store: SolutionStore,
  ) {}

  async get(principal: Principal, resellerId: string): Promise<SolutionPolicyView> {
    const reseller = await this.reseller(principal, resellerId);
    const isDefault = (await this.em.count(SolutionPolicyRecord, { reseller: reseller.id })) === 0;
    return this.view(reseller, await this.store.policy(reseller.id), isDefault);
  }

  async update(principal: Principal, resellerId: string, dto: UpdateSolutionPolicyDto): Promise<SolutionPolicyView> {
    const reseller = await this.reseller(principal, resellerId);
    const changed = Object.keys(dto).filter((key) => dto[key as keyof UpdateSolutionPolicyDto] !== undefined);
    const isOperator = principal.partyKind === 'operator' && principal.roles.includes('operator-admin');
    const isOwnAdmin = principal.partyKind === 'reseller' && principal.partyId === reseller.id && principal.roles.includes('reseller-admin');
    if (!isOperator) {
      const notAllowed = isOwnAdmin ? changed.filter((key) => !(RESELLER_FIELDS as readonly string[]).includes(key)) : changed;
      if (!isOwnAdmin || notAllowed.length) {
        throw new DomainError(
          DesignErrorCode.Forbidden,
          isOwnAdmin ? `only the operator sets ${notAllowed.join(', ')}` : 'only the operator and the reseller’s own admin change its solution policy',
          notAllowed.map((field) => ({ field, problem: 'is set by the operator' })),
          'forbidden',
        );
      }
    }
    const current = await this.store.policy(reseller.id);
    const next: SolutionPolicy = {
      ...current,
      ...(dto.clientAcceptance ? { clientAcceptance: { mode: dto.clientAcceptance.mode } } : {}),
      ...(dto.operatorApproval
        ? {
            operatorApproval: {
              monthlyTotalAbove: dto.operatorApproval.monthlyTotalAbove ?? null,
              vcpusAbove: dto.operatorApproval.vcpusAbove ?? null,
              mode: dto.operatorApproval.mode,
              ...(dto.operatorApproval.approverIds?.length ? { approverIds: [...new Set(dto.operatorApproval.approverIds)] } : {}),
            },
          }
        : {}),
      ...(dto.reminderEvery !== undefined ? { reminderEvery: dto.reminderEvery } : {}),
      ...(dto.expiresAfter !== undefined ? { expiresAfter: dto.expiresAfter } : {}),
      ...(dto.notSold !== undefined ? { notSold: dto.notSold } : {}),
    };
    const problems = await this.referenceProblems(next);
    if (problems.length) throw new DomainError(DesignErrorCode.InvalidPolicy, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
    return this.view(reseller, await this.store.setPolicy(reseller, next, principal.ref), false);
  }

  /** SKUs that exist, approvers who are operator-admins. */
  private async referenceProblems(policy: SolutionPolicy): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    const known = new Set((await this.em.find(CatalogItem, { sku: { $in: policy.notSold } })).map((item) => item.sku));
    policy.notSold.forEach((sku, i) => {
      if (!known.has(sku)) problems.push({ field: `notSold[${i}]`, problem: `${JSON.stringify(sku)} is not in the catalog` });
    });
    const ids = policy.operatorApproval.approverIds ?? [];
    if (ids.length) {
      const admins = new Set(
        (await this.em.find(User, { id: { $in: ids }, party: { kind: 'operator' }, status: 'active', roles: { $contains: ['operator-admin'] } })).map(
          (u) => u.id,
        ),
      );
      ids.forEach((id, i) => {
        if (!admins.has(id)) problems.push({ field: `operatorApproval.approverIds[${i}]`, problem: 'is not an active operator-admin' });
      });
    }
    return problems;
  }

  /** A reseller the caller may read policies of: the operator's, or its own or below it; anything else is 404. */
  private async reseller(principal: Principal, id: string): Promise<Party> {
    const party = await this.em.findOne(Party, { id });
    const mayRead = principal.partyKind === 'operator' || principal.partyKind === 'reseller';
    if (!party || party.kind !== 'reseller' || !mayRead || !this.tenancy.canSee(principal, party))
      throw DomainError.notFound('PARTY_NOT_FOUND', `reseller ${id} does not exist or is not visible to you`);
    return party;
  }

  private view(reseller: Party, policy: SolutionPolicy, isDefault: boolean): SolutionPolicyView {
    return { resellerId: reseller.id, isDefault, ...policy };
  }
}
