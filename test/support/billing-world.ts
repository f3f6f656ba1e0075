import type { EntityManager } from '@mikro-orm/postgresql';
import {
  CatalogItem,
  CatalogPrice,
  ClientAgentCredit,
  CommissionAgreement,
  Party,
  PriceBookVersion,
  ResellerAssignment,
  ResourceEvent,
  type AgreementFunder,
} from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';

/**
 * A small channel written straight to the database, for billing tests on a database of their own
 * (a billing run bills every client of the deployment): parties, agreements, assignments, credits,
 * price books, a catalog item and resource events.
 */
export class BillingWorld {
  readonly tag = randomUUID().slice(0, 6);
  private n = 0;

  constructor(private readonly em: EntityManager) {}

  operator(): Promise<Party> {
    return this.em.findOneOrFail(Party, { kind: 'operator' });
  }

  async item(sku: string, unitPrice: string, name = sku): Promise<string> {
    const full = `${sku}-${this.tag}`.toUpperCase();
    const item = this.em.create(CatalogItem, { sku: full, name, category: 'compute', unit: 'unit' });
    this.em.create(CatalogPrice, { item, currency: 'EUR', unitPrice, effectiveFrom: new Date('2020-01-01T00:00:00Z') });
    await this.em.flush();
    return full;
  }

  async party(kind: Party['kind'], name: string, parent: Party, more: { activeSince?: Date; foundBy?: Party; billingEmail?: string } = {}): Promise<Party> {
    const tag = `${this.tag}-${++this.n}`;
    const party = Party.create({
      kind,
      name: `${name} ${tag}`,
      code: `bw-${kind}-${tag}`,
      parent,
      activeSince: more.activeSince,
      foundBy: more.foundBy ?? null,
      billingEmail: more.billingEmail ?? `${kind}-${tag}@billing-world.test`,
    });
    this.em.persist(party);
    await this.em.flush();
    if (kind === 'client') {
      this.em.create(ClientAgentCredit, { client: party, agent: more.foundBy ?? null, effectiveFrom: party.activeSince! });
      await this.em.flush();
    }
    return party;
  }

  async assign(reseller: Party, distributor: Party | null, from = new Date('2020-01-01T00:00:00Z'), to: Date | null = null): Promise<void> {
    this.em.create(ResellerAssignment, { reseller, distributor, effectiveFrom: from, effectiveTo: to });
    await this.em.flush();
  }

  async agreement(
    party: Party,
    terms: { rate: string; feePerActiveClient?: string; firstMonths?: number; fundedBy?: AgreementFunder; volumeTiers?: Array<{ from: string; rate: string }> },
    from = new Date('2020-01-01T00:00:00Z'),
    to: Date | null = null,
  ): Promise<CommissionAgreement> {
    const agreement = this.em.create(CommissionAgreement, {
      party,
      rate: terms.rate,
      feePerActiveClient: terms.feePerActiveClient ?? null,
      firstMonths: terms.firstMonths ?? null,
      fundedBy: party.kind === 'agent' ? (terms.fundedBy ?? 'operator') : null,
      volumeTiers: terms.volumeTiers ?? null,
      currency: 'EUR',
      effectiveFrom: from,
      effectiveTo: to,
    });
    await this.em.flush();
    return agreement;
  }

  async priceBook(reseller: Party, audience: 'clients' | 'subResellers', upliftPercent: string): Promise<void> {
    this.em.create(PriceBookVersion, {
      reseller,
      audience,
      defaultUpliftPercent: upliftPercent,
      effectiveFrom: new Date('2020-01-01T00:00:00Z'),
      createdBy: 'seed',
    });
    await this.em.flush();
  }

  async event(client: Party, resourceId: string, sku: string, kind: 'start' | 'change' | 'stop', at: Date, quantity?: string): Promise<void> {
    this.em.create(ResourceEvent, {
      transactionId: `${this.tag}-${resourceId}-${kind}-${at.toISOString()}`,
      client,
      resourceId: `${this.tag}-${resourceId}`,
      sku,
      kind,
      quantity: kind === 'stop' ? null : (quantity ?? null),
      occurredAt: at,
      source: 'api',
      recordedBy: 'test',
    });
    await this.em.flush();
  }
}
