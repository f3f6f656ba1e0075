import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { assertAgreementTerms, DomainError, MoneyErrorCode, parseCurrency, parseInstant, versionClosedBy } from '@wholesail/domain';
import { catalogCurrency, CommissionAgreement, Party } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { CreateAgreementDto, ListAgreementsQuery } from './dto/agreement.dto';
import { PartiesService } from './parties.service';

/**
 * Versioned commission agreements of distributors and agents. Readable by the operator and by the
 * party itself (a distributor also reads its agents'); written only by the operator-admin, by
 * adding a version that ends the one in force, never by editing one.
 */
@Injectable()
export class AgreementsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly parties: PartiesService,
  ) {}

  async list(principal: Principal, id: string, query: ListAgreementsQuery): Promise<[CommissionAgreement[], number]> {
    const party = await this.parties.get(principal, id);
    assertHasAgreements(party);
    const where: FilterQuery<CommissionAgreement>[] = [{ party }];
    if (query.inForceAt) {
      const at = parseInstant(query.inForceAt, 'inForceAt');
      where.push({ effectiveFrom: { $lte: at }, $or: [{ effectiveTo: null }, { effectiveTo: { $gt: at } }] });
    }
    return this.em.findAndCount(CommissionAgreement, { $and: where }, { orderBy: { effectiveFrom: 'desc' }, limit: query.pageSize, offset: query.offset });
  }

  async create(principal: Principal, id: string, dto: CreateAgreementDto): Promise<CommissionAgreement> {
    const now = new Date();
    return this.em.transactional(async (tx) => {
      // Locking the party serialises its versions, so two concurrent ones cannot both close the same one.
      const party = await tx.findOne(Party, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      this.tenancy.assertCanSee(principal, party, id);
      assertHasAgreements(party);
      const terms = assertAgreementTerms(party.kind, dto);
      const from = dto.effectiveFrom !== undefined ? parseInstant(dto.effectiveFrom, 'effectiveFrom') : now;
      if (from.getTime() < now.getTime()) {
        throw DomainError.invalid(
          'AGREEMENT_EFFECTIVE_IN_PAST',
          'effectiveFrom',
          'must not be in the past: a new agreement never alters a past period (omit it to mean now)',
        );
      }
      if (party.status === 'closed') throw DomainError.conflict('AGREEMENT_PARTY_CLOSED', `party ${id} is closed`);
      // Cuts are shares of wholesale revenue, so an agreement (and its fee) is in the catalog's currency.
      const catalog = await catalogCurrency(tx);
      const currency = parseCurrency(dto.currency ?? catalog, 'currency');
      if (currency !== catalog) throw DomainError.invalid(MoneyErrorCode.CurrencyMismatch, 'currency', `must be the catalog's currency, ${catalog}`);

      const rows = await tx.find(CommissionAgreement, { party }, { orderBy: { effectiveFrom: 'asc' } });
      const closing = versionClosedBy(rows, from, { code: 'AGREEMENT_OVERLAPPING_VERSIONS', field: 'effectiveFrom', what: 'commission agreement' });
      if (closing) closing.effectiveTo = from;
      const created = tx.create(CommissionAgreement, { party, ...terms, currency, effectiveFrom: from, effectiveTo: null });
      await tx.flush();
      return created;
    });
  }
}

function assertHasAgreements(party: Party): void {
  if (party.kind !== 'distributor' && party.kind !== 'agent') {
    throw DomainError.invalid('AGREEMENT_INVALID_PARTY', 'id', `is a ${party.kind}: only distributors and agents have commission agreements`);
  }
}
