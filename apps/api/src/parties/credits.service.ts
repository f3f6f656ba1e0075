import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { DomainError, PartyErrorCode } from '@wholesail/domain';
import { ClientCreditWriter } from '@wholesail/parties';
import { ClientAgentCredit, Party } from '@wholesail/persistence';
import { PageQuery } from '../common/pagination';
import { TenancyService } from '../tenancy/tenancy.service';
import type { RecreditDto } from './dto/credit.dto';
import { PartiesService } from './parties.service';

/**
 * A client's agent credit history (who earned on it, when). Read by whoever sees the client: the
 * operator, its distributor, the admins of its reseller chain, and the agent credited now (only its
 * own spans). Re-credited by the operator-admin or the client's distributor-admin, through the
 * ClientCreditWriter (libs/parties).
 */
@Injectable()
export class CreditsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly parties: PartiesService,
    private readonly writer: ClientCreditWriter,
  ) {}

  async list(principal: Principal, id: string, page: PageQuery): Promise<[ClientAgentCredit[], number]> {
    const client = assertClient(await this.parties.get(principal, id));
    const where: FilterQuery<ClientAgentCredit>[] = [{ client }];
    if (principal.partyKind === 'agent') where.push({ agent: principal.partyId });
    return this.em.findAndCount(
      ClientAgentCredit,
      { $and: where },
      { populate: ['agent'], orderBy: { effectiveFrom: 'asc' }, limit: page.pageSize, offset: page.offset },
    );
  }

  async recredit(principal: Principal, id: string, dto: RecreditDto): Promise<ClientAgentCredit> {
    const creditId = await this.em.transactional(async (tx) => {
      const client = await tx.findOne(Party, { id });
      this.tenancy.assertCanSee(principal, client, id);
      assertClient(client);
      this.tenancy.assertCanManage(principal, client);
      const credit = await this.writer.recredit(tx, client, { agent: await this.agent(tx, principal, dto.agentId), effectiveFrom: dto.effectiveFrom });
      return credit.id;
    });
    return this.em.fork().findOneOrFail(ClientAgentCredit, { id: creditId }, { populate: ['agent'] });
  }

  /** The agent to credit; one the caller cannot see reads as unknown, so it learns nothing about other tenants. */
  private async agent(tx: EntityManager, principal: Principal, agentId: string | null): Promise<Party | null> {
    if (agentId === null) return null;
    const agent = await tx.findOne(Party, { id: agentId });
    if (!agent || !this.tenancy.canSee(principal, agent)) throw DomainError.invalid(PartyErrorCode.InvalidAgent, 'agentId', 'does not exist');
    return agent;
  }
}

function assertClient(party: Party): Party {
  if (party.kind !== 'client') throw DomainError.invalid(PartyErrorCode.NotAClient, 'id', `is a ${party.kind}: only a client is credited to an agent`);
  return party;
}
