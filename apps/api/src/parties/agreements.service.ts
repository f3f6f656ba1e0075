import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { parseInstant } from '@wholesail/domain';
import { AgreementWriter, assertHasAgreements } from '@wholesail/parties';
import { CommissionAgreement, inForceAt, Party } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { CreateAgreementDto, ListAgreementsQuery } from './dto/agreement.dto';
import { PartiesService } from './parties.service';

/**
 * Versioned commission agreements of distributors and agents. Readable by the operator and by the
 * party itself (a distributor also reads its agents'); written only by the operator-admin, through
 * the AgreementWriter (libs/parties), by adding a version that ends the one in force.
 */
@Injectable()
export class AgreementsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly parties: PartiesService,
    private readonly writer: AgreementWriter,
  ) {}

  async list(principal: Principal, id: string, query: ListAgreementsQuery): Promise<[CommissionAgreement[], number]> {
    const party = await this.parties.get(principal, id);
    assertHasAgreements(party.kind);
    const where: FilterQuery<CommissionAgreement>[] = [{ party }];
    if (query.inForceAt) where.push(inForceAt(parseInstant(query.inForceAt, 'inForceAt')));
    return this.em.findAndCount(CommissionAgreement, { $and: where }, { orderBy: { effectiveFrom: 'desc' }, limit: query.pageSize, offset: query.offset });
  }

  async create(principal: Principal, id: string, dto: CreateAgreementDto): Promise<CommissionAgreement> {
    return this.em.transactional(async (tx) => {
      const party = await tx.findOne(Party, { id });
      this.tenancy.assertCanSee(principal, party, id);
      return this.writer.addVersion(tx, party, dto);
    });
  }
}
