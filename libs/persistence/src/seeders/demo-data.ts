import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '@wholesail/auth';
import type { PartyKind, PriceBookAudience, PriceRuleKind, Role } from '@wholesail/domain';
import { CatalogItem, type CatalogCategory } from '../entities/catalog-item.entity';
import { CatalogPrice } from '../entities/catalog-price.entity';
import { ClientAgentCredit } from '../entities/client-agent-credit.entity';
import { ClientPriceOverride } from '../entities/client-price-override.entity';
import { CommissionAgreement, type AgreementFunder } from '../entities/commission-agreement.entity';
import { Party, type PartyBranding } from '../entities/party.entity';
import { PriceBookRule } from '../entities/price-book-rule.entity';
import { PriceBookVersion } from '../entities/price-book-version.entity';
import { ResellerAssignment } from '../entities/reseller-assignment.entity';
import { User } from '../entities/user.entity';

/**
 * Demo data for `npm start`: a whole channel with a user for every role. Idempotent: every row is
 * found by its business key (party code, user email, catalog SKU) and only created when missing,
 * so re-running after a restart changes nothing.
 */
export const DEMO_PASSWORD = 'wholesail-demo';

interface PartySeed {
  code: string;
  kind: PartyKind;
  name: string;
  parent?: string;
  foundBy?: string;
  /** Clients: customer since (default: the seed data's date). */
  activeSince?: string;
  billingEmail: string;
}

export const DEMO_PARTIES: PartySeed[] = [
  { code: 'operator', kind: 'operator', name: 'Wholesail Cloud', billingEmail: 'finance@wholesail.demo' },
  { code: 'dist-northwind', kind: 'distributor', name: 'Northwind Distribution', parent: 'operator', billingEmail: 'billing@northwind.demo' },
  { code: 'dist-contoso', kind: 'distributor', name: 'Contoso Channel', parent: 'operator', billingEmail: 'billing@contoso.demo' },
  { code: 'agent-alice', kind: 'agent', name: 'Alice Agent', parent: 'dist-northwind', billingEmail: 'alice@northwind.demo' },
  { code: 'agent-bob', kind: 'agent', name: 'Bob Agent', parent: 'dist-contoso', billingEmail: 'bob@contoso.demo' },
  { code: 'reseller-acme', kind: 'reseller', name: 'Acme MSP', parent: 'dist-northwind', billingEmail: 'billing@acme.demo' },
  { code: 'reseller-acme-edge', kind: 'reseller', name: 'Acme Edge (sub-reseller)', parent: 'reseller-acme', billingEmail: 'billing@acme-edge.demo' },
  { code: 'reseller-globex', kind: 'reseller', name: 'Globex IT', parent: 'dist-northwind', billingEmail: 'billing@globex.demo' },
  { code: 'reseller-initech', kind: 'reseller', name: 'Initech Services', parent: 'dist-contoso', billingEmail: 'billing@initech.demo' },
  { code: 'reseller-direct', kind: 'reseller', name: 'Direct Cloud Partners', parent: 'operator', billingEmail: 'billing@direct.demo' },
  // Customers from before going live: Alice earns on Umbrella for its first 12 months (to 2026-11
  // included), and no longer on Stark (its 12 months ended with 2026-02).
  {
    code: 'client-umbrella',
    kind: 'client',
    name: 'Umbrella Corp',
    parent: 'reseller-acme',
    foundBy: 'agent-alice',
    activeSince: '2025-12-01T00:00:00Z',
    billingEmail: 'ap@umbrella.demo',
  },
  { code: 'client-hooli', kind: 'client', name: 'Hooli', parent: 'reseller-acme-edge', billingEmail: 'ap@hooli.demo' },
  {
    code: 'client-stark',
    kind: 'client',
    name: 'Stark Industries',
    parent: 'reseller-globex',
    foundBy: 'agent-alice',
    activeSince: '2025-03-01T00:00:00Z',
    billingEmail: 'ap@stark.demo',
  },
  { code: 'client-wayne', kind: 'client', name: 'Wayne Enterprises', parent: 'reseller-initech', foundBy: 'agent-bob', billingEmail: 'ap@wayne.demo' },
  { code: 'client-tyrell', kind: 'client', name: 'Tyrell Corp', parent: 'reseller-direct', billingEmail: 'ap@tyrell.demo' },
];

export const DEMO_USERS: { email: string; name: string; party: string; roles: Role[] }[] = [
  { email: 'admin@wholesail.demo', name: 'Olivia Operator', party: 'operator', roles: ['operator-admin'] },
  { email: 'finance@wholesail.demo', name: 'Frank Finance', party: 'operator', roles: ['operator-finance'] },
  { email: 'admin@northwind.demo', name: 'Nora Northwind', party: 'dist-northwind', roles: ['distributor-admin'] },
  { email: 'admin@contoso.demo', name: 'Carl Contoso', party: 'dist-contoso', roles: ['distributor-admin'] },
  { email: 'alice@northwind.demo', name: 'Alice Agent', party: 'agent-alice', roles: ['agent'] },
  { email: 'bob@contoso.demo', name: 'Bob Agent', party: 'agent-bob', roles: ['agent'] },
  { email: 'admin@acme.demo', name: 'Ada Acme', party: 'reseller-acme', roles: ['reseller-admin'] },
  { email: 'architect@acme.demo', name: 'Arthur Architect', party: 'reseller-acme', roles: ['architect'] },
  { email: 'admin@acme-edge.demo', name: 'Eddie Edge', party: 'reseller-acme-edge', roles: ['reseller-admin'] },
  { email: 'admin@globex.demo', name: 'Greta Globex', party: 'reseller-globex', roles: ['reseller-admin'] },
  { email: 'admin@initech.demo', name: 'Ian Initech', party: 'reseller-initech', roles: ['reseller-admin'] },
  { email: 'admin@direct.demo', name: 'Dana Direct', party: 'reseller-direct', roles: ['reseller-admin'] },
  { email: 'user@umbrella.demo', name: 'Uma Umbrella', party: 'client-umbrella', roles: ['client-user'] },
  { email: 'user@hooli.demo', name: 'Hank Hooli', party: 'client-hooli', roles: ['client-user'] },
];

export const DEMO_CATALOG: { sku: string; name: string; category: CatalogCategory; unit: string; price: string }[] = [
  { sku: 'VCPU', name: 'Virtual CPU', category: 'compute', unit: 'vCPU', price: '12.000000' },
  { sku: 'RAM-GB', name: 'Memory', category: 'compute', unit: 'GB', price: '4.500000' },
  { sku: 'STORAGE-SSD-GB', name: 'SSD block storage', category: 'storage', unit: 'GB', price: '0.120000' },
  { sku: 'BACKUP-GB', name: 'Backup storage', category: 'storage', unit: 'GB', price: '0.045000' },
  { sku: 'PUBLIC-IP', name: 'Public IPv4 address', category: 'network', unit: 'address', price: '3.000000' },
  { sku: 'VM-LINUX', name: 'Linux VM template', category: 'compute', unit: 'instance', price: '0.000000' },
  { sku: 'LIC-WIN-STD', name: 'Windows Server Standard licence', category: 'licence', unit: 'licence', price: '28.750000' },
  { sku: 'SVC-MONITORING', name: 'Managed monitoring', category: 'service', unit: 'VM', price: '5.000000' },
];

interface RuleSeed {
  sku: string;
  kind: PriceRuleKind;
  value: string;
}

/** Each demo reseller's two books (a discount and fixed prices included), and a negotiated price. */
export const DEMO_PRICE_BOOKS: { reseller: string; audience: PriceBookAudience; defaultUpliftPercent: string; rules: RuleSeed[] }[] = [
  {
    reseller: 'reseller-acme',
    audience: 'clients',
    defaultUpliftPercent: '25',
    rules: [
      { sku: 'LIC-WIN-STD', kind: 'discount', value: '10' },
      { sku: 'SVC-MONITORING', kind: 'fixed', value: '9.90' },
    ],
  },
  { reseller: 'reseller-acme', audience: 'subResellers', defaultUpliftPercent: '10', rules: [] },
  { reseller: 'reseller-acme-edge', audience: 'clients', defaultUpliftPercent: '20', rules: [{ sku: 'PUBLIC-IP', kind: 'fixed', value: '5.00' }] },
  { reseller: 'reseller-acme-edge', audience: 'subResellers', defaultUpliftPercent: '10', rules: [] },
  { reseller: 'reseller-globex', audience: 'clients', defaultUpliftPercent: '30', rules: [] },
  { reseller: 'reseller-globex', audience: 'subResellers', defaultUpliftPercent: '15', rules: [] },
  { reseller: 'reseller-initech', audience: 'clients', defaultUpliftPercent: '22', rules: [{ sku: 'BACKUP-GB', kind: 'uplift', value: '50' }] },
  { reseller: 'reseller-initech', audience: 'subResellers', defaultUpliftPercent: '12', rules: [] },
  { reseller: 'reseller-direct', audience: 'clients', defaultUpliftPercent: '35', rules: [{ sku: 'VCPU', kind: 'uplift', value: '40' }] },
  { reseller: 'reseller-direct', audience: 'subResellers', defaultUpliftPercent: '15', rules: [] },
];

export const DEMO_CLIENT_OVERRIDES: ({ client: string } & RuleSeed)[] = [{ client: 'client-umbrella', sku: 'VCPU', kind: 'fixed', value: '14.50' }];

/** One commission agreement per demo distributor and agent (rates are fractions: 0.05 is 5 %). */
export const DEMO_AGREEMENTS: { party: string; rate: string; feePerActiveClient?: string; firstMonths?: number; fundedBy?: AgreementFunder }[] = [
  { party: 'dist-northwind', rate: '0.05', feePerActiveClient: '2.00' },
  { party: 'dist-contoso', rate: '0.04' },
  { party: 'agent-alice', rate: '0.02', firstMonths: 12, fundedBy: 'operator' },
  { party: 'agent-bob', rate: '0.015', fundedBy: 'distributor' },
];

/** Acme's portal and documents carry its brand. */
export const DEMO_BRANDING: Record<string, PartyBranding> = {
  'reseller-acme': { logoUrl: 'https://acme.demo/logo.svg', primaryColor: '#0b5cab', accentColor: '#f59e0b' },
};

export interface SeedReport {
  partiesCreated: number;
  usersCreated: number;
  catalogItemsCreated: number;
  priceBooksCreated: number;
  clientOverridesCreated: number;
  agreementsCreated: number;
  resellerAssignmentsCreated: number;
  agentCreditsCreated: number;
}

export async function seedDemoData(em: EntityManager, catalogEffectiveFrom = new Date('2026-01-01T00:00:00Z')): Promise<SeedReport> {
  const report: SeedReport = {
    partiesCreated: 0,
    usersCreated: 0,
    catalogItemsCreated: 0,
    priceBooksCreated: 0,
    clientOverridesCreated: 0,
    agreementsCreated: 0,
    resellerAssignmentsCreated: 0,
    agentCreditsCreated: 0,
  };
  await em.transactional(async (tx) => {
    const byCode = new Map<string, Party>();
    for (const existing of await tx.find(Party, { code: { $in: DEMO_PARTIES.map((p) => p.code) } })) byCode.set(existing.code, existing);

    for (const seed of DEMO_PARTIES) {
      if (byCode.has(seed.code)) continue;
      const party = Party.create({
        kind: seed.kind,
        name: seed.name,
        code: seed.code,
        parent: seed.parent ? byCode.get(seed.parent) : null,
        foundBy: seed.foundBy ? byCode.get(seed.foundBy) : null,
        activeSince: seed.kind === 'client' ? new Date(seed.activeSince ?? catalogEffectiveFrom) : null,
        billingEmail: seed.billingEmail,
      });
      tx.persist(party);
      byCode.set(seed.code, party);
      report.partiesCreated++;
    }

    const existingUsers = new Set((await tx.find(User, { email: { $in: DEMO_USERS.map((u) => u.email) } })).map((u) => u.email));
    const missingUsers = DEMO_USERS.filter((u) => !existingUsers.has(u.email));
    const passwordHash = missingUsers.length ? await hashPassword(DEMO_PASSWORD) : '';
    for (const seed of missingUsers) {
      tx.persist(
        tx.create(User, { email: seed.email, displayName: seed.name, party: byCode.get(seed.party)!, roles: seed.roles, passwordHash, status: 'active' }),
      );
      report.usersCreated++;
    }

    const existingSkus = new Set((await tx.find(CatalogItem, { sku: { $in: DEMO_CATALOG.map((c) => c.sku) } })).map((c) => c.sku));
    for (const seed of DEMO_CATALOG.filter((c) => !existingSkus.has(c.sku))) {
      const item = tx.create(CatalogItem, { sku: seed.sku, name: seed.name, category: seed.category, unit: seed.unit });
      tx.persist(item);
      tx.persist(tx.create(CatalogPrice, { item, currency: 'EUR', unitPrice: seed.price, effectiveFrom: catalogEffectiveFrom }));
      report.catalogItemsCreated++;
    }

    // Price books and overrides are created only for a reseller (client) that has none yet, so a
    // book changed through the API is never reset by a re-run.
    await tx.flush();
    const items = new Map((await tx.find(CatalogItem, { sku: { $in: DEMO_CATALOG.map((c) => c.sku) } })).map((item) => [item.sku, item]));
    const withBooks = new Set(
      (await tx.find(PriceBookVersion, { reseller: { code: { $in: DEMO_PRICE_BOOKS.map((b) => b.reseller) } } }, { populate: ['reseller'] })).map(
        (v) => `${v.reseller.code}/${v.audience}`,
      ),
    );
    for (const seed of DEMO_PRICE_BOOKS.filter((b) => !withBooks.has(`${b.reseller}/${b.audience}`))) {
      const version = tx.create(PriceBookVersion, {
        reseller: byCode.get(seed.reseller)!,
        audience: seed.audience,
        defaultUpliftPercent: seed.defaultUpliftPercent,
        effectiveFrom: catalogEffectiveFrom,
        createdBy: 'seed',
      });
      for (const rule of seed.rules) tx.create(PriceBookRule, { version, item: items.get(rule.sku)!, kind: rule.kind, value: rule.value });
      report.priceBooksCreated++;
    }
    const withOverrides = new Set(
      (await tx.find(ClientPriceOverride, { client: { code: { $in: DEMO_CLIENT_OVERRIDES.map((o) => o.client) } } }, { populate: ['client', 'item'] })).map(
        (o) => `${o.client.code}/${o.item.sku}`,
      ),
    );
    for (const seed of DEMO_CLIENT_OVERRIDES.filter((o) => !withOverrides.has(`${o.client}/${o.sku}`))) {
      tx.create(ClientPriceOverride, {
        client: byCode.get(seed.client)!,
        item: items.get(seed.sku)!,
        kind: seed.kind,
        value: seed.value,
        effectiveFrom: catalogEffectiveFrom,
        createdBy: 'seed',
      });
      report.clientOverridesCreated++;
    }

    // Agreements, assignments and branding likewise only where there are none yet, so a change
    // made through the API (a new agreement version, a move, a rebrand) survives a re-run.
    const withAgreements = new Set(
      (await tx.find(CommissionAgreement, { party: { code: { $in: DEMO_AGREEMENTS.map((a) => a.party) } } }, { populate: ['party'] })).map((a) => a.party.code),
    );
    for (const seed of DEMO_AGREEMENTS.filter((a) => !withAgreements.has(a.party))) {
      const kind = byCode.get(seed.party)!.kind;
      tx.create(CommissionAgreement, {
        party: byCode.get(seed.party)!,
        rate: seed.rate,
        feePerActiveClient: seed.feePerActiveClient ?? null,
        currency: 'EUR',
        firstMonths: seed.firstMonths ?? null,
        fundedBy: kind === 'agent' ? (seed.fundedBy ?? 'operator') : null,
        effectiveFrom: catalogEffectiveFrom,
      });
      report.agreementsCreated++;
    }
    const topLevelResellers = DEMO_PARTIES.filter((p) => p.kind === 'reseller' && DEMO_PARTIES.find((q) => q.code === p.parent)?.kind !== 'reseller');
    const withAssignments = new Set(
      (await tx.find(ResellerAssignment, { reseller: { code: { $in: topLevelResellers.map((r) => r.code) } } }, { populate: ['reseller'] })).map(
        (a) => a.reseller.code,
      ),
    );
    for (const seed of topLevelResellers.filter((r) => !withAssignments.has(r.code))) {
      const parent = byCode.get(seed.parent!)!;
      tx.create(ResellerAssignment, {
        reseller: byCode.get(seed.code)!,
        distributor: parent.kind === 'distributor' ? parent : null,
        effectiveFrom: catalogEffectiveFrom,
      });
      report.resellerAssignmentsCreated++;
    }
    // Each client's agent credit history starts when it became a customer (only for a client
    // without one, so a re-credit made through the API survives a re-run).
    const clients = DEMO_PARTIES.filter((p) => p.kind === 'client');
    const withCredits = new Set(
      (await tx.find(ClientAgentCredit, { client: { code: { $in: clients.map((c) => c.code) } } }, { populate: ['client'] })).map((c) => c.client.code),
    );
    for (const seed of clients.filter((c) => !withCredits.has(c.code))) {
      const client = byCode.get(seed.code)!;
      tx.create(ClientAgentCredit, { client, agent: client.foundBy ?? null, effectiveFrom: client.activeSince! });
      report.agentCreditsCreated++;
    }
    for (const [code, branding] of Object.entries(DEMO_BRANDING)) {
      const party = byCode.get(code)!;
      if (!party.branding) party.branding = { ...branding };
    }
  });
  return report;
}
