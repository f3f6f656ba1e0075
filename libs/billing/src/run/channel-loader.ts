import type { EntityManager } from '@mikro-orm/postgresql';
import { type AgentAgreementVersion, type ChannelSnapshot, type DistributorAgreementVersion, type PricingContext, type VolumeTier } from '@wholesail/domain';
import { ClientPriceOverride, loadCatalog, loadPriceBooks, plainDecimal, toEngineClientOverride } from '@wholesail/persistence';
import { IDS, idList } from './sql';

/** A client of a page, with its reseller chain (top-level reseller first). */
export interface PageClient {
  id: string;
  name: string;
  resellerIds: string[];
  /** The name of its own reseller (the last of `resellerIds`), which issues its invoice. */
  resellerName: string;
  activeSince: Date;
}

/**
 * Loads what a page of clients needs to be rated and cut, in a few set-based queries: the clients
 * and their reseller chains (from the materialised paths), the channel snapshot (assignments,
 * agent credits, agents, agreement versions) and the pricing rows of their chains.
 */
export class ChannelLoader {
  constructor(private readonly em: EntityManager) {}

  /** The next `limit` clients after `afterId` in id order (every client, whatever its status). */
  async clientsAfter(afterId: string | null, limit: number): Promise<PageClient[]> {
    const rows: ClientRow[] = await this.em.execute(
      `select id, name, path, active_since from party where kind = 'client' and (?::uuid is null or id > ?::uuid) order by id limit ?`,
      [afterId, afterId, limit],
    );
    return this.withChains(rows);
  }

  /** The clients with ids in [firstId, lastId] (a page already rated). */
  async clientsBetween(firstId: string, lastId: string): Promise<PageClient[]> {
    const rows: ClientRow[] = await this.em.execute(
      `select id, name, path, active_since from party where kind = 'client' and id between ?::uuid and ?::uuid order by id`,
      [firstId, lastId],
    );
    return this.withChains(rows);
  }

  async snapshot(clients: readonly PageClient[], timeZone: string): Promise<ChannelSnapshot> {
    const clientIds = clients.map((c) => c.id);
    const tops = [...new Set(clients.map((c) => c.resellerIds[0]))];
    const [assignments, credits, agents, agreements] = await Promise.all([
      this.em.execute(`select reseller_id, distributor_id, effective_from, effective_to from reseller_assignment where reseller_id in ${IDS}`, [idList(tops)]),
      this.em.execute(`select client_id, agent_id, effective_from, effective_to from client_agent_credit where client_id in ${IDS}`, [idList(clientIds)]),
      this.em.execute(`select id, parent_id from party where kind = 'agent'`),
      this.em.execute(
        `select a.id, a.party_id, p.kind, a.rate, a.fee_per_active_client, a.volume_tiers, a.first_months, a.funded_by, a.effective_from, a.effective_to
           from commission_agreement a join party p on p.id = a.party_id`,
      ),
    ]);
    return {
      timeZone,
      clients: clients.map((c) => ({ id: c.id, resellerIds: c.resellerIds, activeSince: c.activeSince })),
      agents: (agents as Array<{ id: string; parent_id: string }>).map((a) => ({ id: a.id, distributorId: a.parent_id })),
      assignments: (assignments as Array<Record<string, any>>).map((a) => ({
        resellerId: a.reseller_id,
        distributorId: a.distributor_id ?? null,
        effectiveFrom: instant(a.effective_from),
        effectiveTo: optionalInstant(a.effective_to),
      })),
      agentCredits: (credits as Array<Record<string, any>>).map((c) => ({
        clientId: c.client_id,
        agentId: c.agent_id ?? null,
        effectiveFrom: instant(c.effective_from),
        effectiveTo: optionalInstant(c.effective_to),
      })),
      distributorAgreements: (agreements as Array<Record<string, any>>).filter((a) => a.kind === 'distributor').map(toDistributorAgreement),
      agentAgreements: (agreements as Array<Record<string, any>>).filter((a) => a.kind === 'agent').map(toAgentAgreement),
    };
  }

  /** Each client's pricing: the catalog, its chain's price books (every version), its overrides. */
  async pricing(clients: readonly PageClient[]): Promise<Map<string, PricingContext>> {
    const resellerIds = [...new Set(clients.flatMap((c) => c.resellerIds))];
    const [catalog, books, overrides] = await Promise.all([
      loadCatalog(this.em),
      loadPriceBooks(this.em, resellerIds),
      this.em.find(ClientPriceOverride, { client: { $in: clients.map((c) => c.id) } }, { populate: ['item'], orderBy: { effectiveFrom: 'asc' } }),
    ]);
    const overridesOf = new Map<string, ReturnType<typeof toEngineClientOverride>[]>();
    for (const o of overrides.map(toEngineClientOverride)) overridesOf.set(o.clientId, [...(overridesOf.get(o.clientId) ?? []), o]);
    const booksOf = new Map<string, typeof books>();
    for (const b of books) booksOf.set(b.resellerId, [...(booksOf.get(b.resellerId) ?? []), b]);
    return new Map(
      clients.map((c) => [
        c.id,
        {
          catalog,
          chain: { clientId: c.id, resellerIds: c.resellerIds },
          priceBooks: c.resellerIds.flatMap((r) => booksOf.get(r) ?? []),
          clientOverrides: overridesOf.get(c.id) ?? [],
        },
      ]),
    );
  }

  private async withChains(rows: ClientRow[]): Promise<PageClient[]> {
    if (rows.length === 0) return [];
    const pathIds = [...new Set(rows.flatMap((r) => r.path.split('/').filter(Boolean)))];
    const resellers = new Map(
      (
        (await this.em.execute(`select id, name from party where kind = 'reseller' and id in ${IDS}`, [idList(pathIds)])) as Array<{ id: string; name: string }>
      ).map((r) => [r.id, r.name]),
    );
    return rows.map((r) => {
      const resellerIds = r.path.split('/').filter((id) => resellers.has(id));
      return {
        id: r.id,
        name: r.name,
        resellerIds,
        resellerName: resellers.get(resellerIds[resellerIds.length - 1]) ?? '',
        activeSince: new Date(r.active_since),
      };
    });
  }
}

interface ClientRow {
  id: string;
  name: string;
  path: string;
  active_since: Date;
}

function toDistributorAgreement(a: Record<string, any>): DistributorAgreementVersion {
  return {
    id: a.id,
    distributorId: a.party_id,
    rate: plainDecimal(a.rate),
    feePerActiveClient: a.fee_per_active_client == null ? null : plainDecimal(a.fee_per_active_client),
    volumeTiers: (a.volume_tiers as VolumeTier[] | null) ?? null,
    effectiveFrom: instant(a.effective_from),
    effectiveTo: optionalInstant(a.effective_to),
  };
}

function toAgentAgreement(a: Record<string, any>): AgentAgreementVersion {
  return {
    id: a.id,
    agentId: a.party_id,
    rate: plainDecimal(a.rate),
    firstMonths: a.first_months ?? null,
    fundedBy: a.funded_by ?? null,
    effectiveFrom: instant(a.effective_from),
    effectiveTo: optionalInstant(a.effective_to),
  };
}

/** timestamptz as the driver returns it (text) → Date. */
function instant(value: string | Date): Date {
  return new Date(value);
}

function optionalInstant(value: string | Date | null): Date | null {
  return value == null ? null : new Date(value);
}
