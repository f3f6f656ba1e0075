import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { loadConfig } from '@wholesail/config';
import type { DomainError, EarliestAllowed, PartyKind } from '@wholesail/domain';
import { AgreementWriter, Invitations, PARTY_UNIQUE_INDEXES, PartyWriter, PriceBookWriter, USER_UNIQUE_INDEXES, violatedRule } from '@wholesail/parties';
import {
  Application,
  CommissionAgreement,
  EffectiveDatePolicy,
  ormConfig,
  Party,
  PriceBookVersion,
  ResellerAssignment,
  User,
  type ApplicationKind,
} from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { ONBOARDING_DEFAULTS, OnboardingRecords } from '../../activities/onboarding/onboarding.records';
import { testEnv, testStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * The partner network's writers (libs/parties) on real PostgreSQL with the real migrations: the
 * database decides uniqueness between truly concurrent writers, one map names the field of each
 * constraint, onboarding writes through the same validated writers as the API, and how far back a
 * versioned write may reach is decided in one place.
 */
describe('party writes (integration)', () => {
  let orm: MikroORM;
  let writer: PartyWriter;
  let records: OnboardingRecords;
  let invitations: Invitations;
  const policy = new EffectiveDatePolicy(loadConfig(testEnv()));
  const agreements = new AgreementWriter(policy);
  const priceBooks = new PriceBookWriter(policy);
  const tag = () => randomUUID().slice(0, 8);

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    writer = new PartyWriter(policy);
    invitations = new Invitations(orm.em, loadConfig(testEnv()));
    records = new OnboardingRecords(orm.em, writer, agreements, priceBooks, invitations);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  const byCode = (code: string) => orm.em.fork().findOneOrFail(Party, { code });

  /**
   * This file's own distributor and resellers: integration and e2e files share one database, and
   * e2e files assert the seeded parties' roll-ups, so nothing here is written below a seeded party.
   */
  const own = { distributor: '', resellerA: '', resellerB: '' };
  beforeAll(async () => {
    const em = orm.em.fork();
    const t = tag();
    const operator = await em.findOneOrFail(Party, { code: 'operator' });
    const distributor = Party.create({ kind: 'distributor', name: `PW Distributor ${t}`, code: `pw-dist-${t}`, parent: operator });
    const resellerA = Party.create({ kind: 'reseller', name: `PW Reseller A ${t}`, code: `pw-reseller-a-${t}`, parent: distributor });
    const resellerB = Party.create({ kind: 'reseller', name: `PW Reseller B ${t}`, code: `pw-reseller-b-${t}`, parent: distributor });
    em.persist([distributor, resellerA, resellerB]);
    await em.flush();
    Object.assign(own, { distributor: distributor.code, resellerA: resellerA.code, resellerB: resellerB.code });
  });

  async function apply(kind: ApplicationKind, props: { name: string; sponsor?: Party | null; taxId?: string }): Promise<string> {
    const em = orm.em.fork();
    const t = tag();
    const app = em.create(Application, {
      businessKey: `int-${t}`,
      kind,
      name: props.name,
      contactName: `Pat ${t}`,
      email: `pat-${t}@party-writes.test`,
      taxId: props.taxId ?? `NL${parseInt(t, 16) % 1_000_000_000}B01`,
      sponsor: props.sponsor ?? null,
      submittedBy: 'public',
      workflowId: `onboarding:int-${t}`,
    });
    await em.flush();
    return app.id;
  }

  describe('concurrent creations', () => {
    /**
     * A PartyWriter that, once it has inserted the party, holds its transaction open until told to
     * go on: a second creation then passes every pre-check (it cannot see the uncommitted row) and
     * only the database can stop it.
     */
    class HeldWriter extends PartyWriter {
      readonly inserted: Promise<void>;
      /** The database session holding the inserted row. */
      pid = 0;
      private insertedNow!: () => void;
      private goOn!: () => void;
      private readonly released = new Promise<void>((resolve) => (this.goOn = resolve));
      constructor() {
        super(policy);
        this.inserted = new Promise<void>((resolve) => (this.insertedNow = resolve));
      }
      override async create(...args: Parameters<PartyWriter['create']>): Promise<Party> {
        const party = await super.create(...args);
        const [session] = await args[0].execute<{ pid: number }[]>('select pg_backend_pid() as pid');
        this.pid = session.pid;
        this.insertedNow();
        await this.released;
        return party;
      }
      release(): void {
        this.goOn();
      }
    }

    /** Resolves once another session's insert of a party waits for `held`'s transaction (the unique index's wait). */
    const insertWaitingFor = (held: HeldWriter) =>
      waitFor(
        async () => {
          const rows: unknown[] = await orm.em
            .fork()
            .getConnection()
            .execute(`select 1 from pg_stat_activity where ? = any(pg_blocking_pids(pid)) and query like 'insert into "party"%'`, [held.pid]);
          return rows.length ? true : undefined;
        },
        10_000,
        20,
      );

    it('lets only one of two onboarding provisions of the same partner succeed, the database deciding', async () => {
      const name = `Twin Distribution ${tag()}`;
      const first = await apply('distributor', { name });
      const second = await apply('distributor', { name: name.toUpperCase() });
      const held = new HeldWriter();
      const heldRecords = new OnboardingRecords(orm.em, held, agreements, priceBooks, invitations);

      const winner = heldRecords.provision(first, ONBOARDING_DEFAULTS);
      await held.inserted;
      const loser = records.provision(second, ONBOARDING_DEFAULTS).then(
        () => undefined,
        (error: unknown) => error,
      );
      await insertWaitingFor(held);
      held.release();
      await winner;

      expect(await loser).toMatchObject({
        code: 'PARTY_DUPLICATE',
        kind: 'conflict',
        fields: [{ field: 'name', problem: 'is already used by another partner' }],
      });
      const em = orm.em.fork();
      expect(await em.count(Party, { name: { $ilike: name } })).toBe(1);
      // The loser wrote nothing: no agreement, no admin, no link from its application.
      const app = await em.findOneOrFail(Application, { id: second }, { populate: ['createdParty'] });
      expect(app.createdParty).toBeNull();
      expect(await em.count(User, { email: app.email })).toBe(0);
    });

    it('names the code a concurrent creation took, when the code was chosen by the caller', async () => {
      const parent = await byCode(own.distributor);
      const code = `held-${tag()}`;
      const held = new HeldWriter();
      const winner = orm.em
        .fork()
        .transactional((tx) => held.create(tx, { kind: 'reseller', name: `Held ${code}`, code, parent, billingEmail: 'a@held.test' }));
      await held.inserted;
      const loser = orm.em
        .fork()
        .transactional((tx) => writer.create(tx, { kind: 'reseller', name: `Other ${code}`, code, parent, billingEmail: 'b@held.test' }))
        .catch((error: unknown) => error);
      await insertWaitingFor(held);
      held.release();
      await winner;
      expect(await loser).toMatchObject({ code: 'PARTY_DUPLICATE', fields: [{ field: 'code', problem: 'is already used by another party' }] });
    });

    it('derives distinct codes for different names that read alike, created at once', async () => {
      const em = orm.em.fork();
      const parent = await em.findOneOrFail(Party, { code: own.resellerA });
      const base = `Alike ${tag()}`;
      const names = [`${base}!`, `${base}?`, `${base}.`];
      const created = await Promise.all(
        names.map((name) => orm.em.fork().transactional((tx) => writer.create(tx, { kind: 'client', name, parent, billingEmail: 'ap@alike.test' }))),
      );
      const codes = created.map((party) => party.code).sort();
      const slug = base.toLowerCase().replace(' ', '-');
      expect(codes).toEqual([slug, `${slug}-2`, `${slug}-3`]);
    });
  });

  describe('constraints', () => {
    /** Inserts straight through the ORM, past every pre-check, so only the database can refuse. */
    async function rawInsert(kind: PartyKind, props: { name: string; code?: string; parent: Party; taxId?: string }): Promise<unknown> {
      const em = orm.em.fork();
      const parent = await em.findOneOrFail(Party, { id: props.parent.id });
      em.persist(
        Party.create({ kind, name: props.name, code: props.code ?? `raw-${tag()}`, parent, billingEmail: 'raw@party-writes.test', taxId: props.taxId }),
      );
      return em.flush().then(
        () => undefined,
        (error: unknown) => error,
      );
    }

    it('backs every uniqueness rule with an index, and the one map names its field', async () => {
      const operator = await byCode('operator');
      const acme = await byCode(own.resellerA);
      const globex = await byCode(own.resellerB);
      const t = tag();
      const taxId = `DE${parseInt(t, 16) % 1_000_000_000}`;
      expect(await rawInsert('distributor', { name: `Unique Partner ${t}`, code: `unique-${t}`, parent: operator, taxId })).toBeUndefined();
      expect(await rawInsert('client', { name: `Unique Client ${t}`, parent: acme, taxId: `${taxId}9` })).toBeUndefined();

      const refused = {
        code: await rawInsert('distributor', { name: `Other ${t}`, code: `unique-${t}`, parent: operator }),
        partnerName: await rawInsert('reseller', { name: `UNIQUE partner ${t}`, parent: operator }),
        partnerTaxId: await rawInsert('agent', { name: `Other agent ${t}`, parent: await byCode(own.distributor), taxId }),
        clientName: await rawInsert('client', { name: `unique client ${t}`, parent: acme }),
        clientTaxId: await rawInsert('client', { name: `Another client ${t}`, parent: acme, taxId: `${taxId}9` }),
      };
      expect(Object.fromEntries(Object.entries(refused).map(([rule, error]) => [rule, violatedRule(error, PARTY_UNIQUE_INDEXES)]))).toEqual({
        code: PARTY_UNIQUE_INDEXES.party_code_unique,
        partnerName: PARTY_UNIQUE_INDEXES.party_partner_name_unique,
        partnerTaxId: PARTY_UNIQUE_INDEXES.party_partner_tax_id_unique,
        clientName: PARTY_UNIQUE_INDEXES.party_client_name_unique,
        clientTaxId: PARTY_UNIQUE_INDEXES.party_client_tax_id_unique,
      });

      // Clients are compared within their reseller only; a client may share a partner's name and tax ID.
      expect(await rawInsert('client', { name: `Unique Client ${t}`, parent: globex, taxId: `${taxId}9` })).toBeUndefined();
      expect(await rawInsert('client', { name: `Unique Partner ${t}`, parent: acme, taxId })).toBeUndefined();

      const em = orm.em.fork();
      em.persist(em.create(User, { email: 'admin@acme.demo', displayName: 'Again', party: await byCode('reseller-acme'), roles: ['reseller-admin'] }));
      const userError = await em.flush().catch((error: unknown) => error);
      expect(violatedRule(userError, USER_UNIQUE_INDEXES)).toEqual({ field: 'email', problem: 'already belongs to a user' });
    });
  });

  describe('onboarding', () => {
    it('writes a new reseller’s defaults through the validated writers, once however often it is retried', async () => {
      const northwind = await byCode(own.distributor);
      const name = `Onboarded Reseller ${tag()}`;
      const id = await apply('reseller', { name, sponsor: northwind });
      const first = await records.provision(id, ONBOARDING_DEFAULTS);
      const again = await records.provision(id, ONBOARDING_DEFAULTS);
      expect(again.party.id).toBe(first.party.id);
      expect(again.admin.id).toBe(first.admin.id);

      const em = orm.em.fork();
      const party = await em.findOneOrFail(Party, { id: first.party.id });
      // One code rule with the API: derived from the name.
      expect(party).toMatchObject({ kind: 'reseller', code: name.toLowerCase().replaceAll(' ', '-'), status: 'active' });
      const books = await em.find(PriceBookVersion, { reseller: party }, { orderBy: { audience: 'asc' } });
      expect(books.map((b) => [b.audience, b.defaultUpliftPercent, b.effectiveTo ?? null, b.createdBy])).toEqual([
        ['clients', '20.000000', null, `onboarding:${id}`],
        ['subResellers', '10.000000', null, `onboarding:${id}`],
      ]);
      expect(await em.count(ResellerAssignment, { reseller: party, distributor: northwind, effectiveTo: null })).toBe(1);
      expect(await em.findOneOrFail(User, { id: first.admin.id })).toMatchObject({ status: 'invited', roles: ['reseller-admin'] });
    });

    it('gives a new agent an agreement in the catalog’s currency', async () => {
      const id = await apply('agent', { name: `Onboarded Agent ${tag()}`, sponsor: await byCode('dist-contoso') });
      const { party } = await records.provision(id, ONBOARDING_DEFAULTS);
      const agreements = await orm.em.fork().find(CommissionAgreement, { party: party.id });
      expect(agreements.map((a) => [a.rate, a.currency, a.fundedBy, a.effectiveTo ?? null])).toEqual([['0.020000', 'EUR', 'operator', null]]);
    });

    it('checks an applicant against partners only: a public applicant learns nothing about clients', async () => {
      const problemsOf = async (name: string, taxId?: string) => (await records.checkApplication(await apply('reseller', { name, taxId }))).map((p) => p.field);
      const em = orm.em.fork();
      const t = tag();
      const taxId = `FR${parseInt(t, 16) % 1_000_000_000}`;
      const acme = await em.findOneOrFail(Party, { code: own.resellerA });
      em.persist(Party.create({ kind: 'client', name: `Hidden Client ${t}`, code: `hidden-${t}`, parent: acme, billingEmail: 'ap@hidden.test', taxId }));
      await em.flush();

      expect(await problemsOf(`Hidden Client ${t}`, taxId)).toEqual([]);
      expect(await problemsOf('NORTHWIND distribution')).toEqual(['name']);
      // A name with LIKE wildcards matches only itself.
      expect(await problemsOf('Northwind%')).toEqual([]);
      expect(await problemsOf('Northwind_Distribution')).toEqual([]);
    });
  });

  describe('how far back a versioned write may reach', () => {
    const day = 24 * 3600_000;

    it('is decided by the EffectiveDatePolicy alone', async () => {
      // An agent of its own (through onboarding), so that no seeded agreement changes.
      const id = await apply('agent', { name: `Dated Agent ${tag()}`, sponsor: await byCode('dist-contoso') });
      const { party } = await records.provision(id, ONBOARDING_DEFAULTS);
      const write = (agreements: AgreementWriter, effectiveFrom: Date) =>
        orm.em.fork().transactional(async (tx) => agreements.addVersion(tx, await tx.findOneOrFail(Party, { id: party.id }), { rate: '0.03', effectiveFrom }));

      // The default policy: nothing finalised in this database, so the start of the previous month.
      const bound = await orm.em.fork().transactional((tx) => policy.earliestAllowed(tx, new Date()));
      const refused = await write(new AgreementWriter(policy), new Date(bound.at.getTime() - 1)).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'AGREEMENT_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveFrom' }] });
      expect((refused as DomainError).fields[0].problem).toContain(`must not be before ${bound.at.toISOString()}`);

      // Every writer follows whatever the policy decides.
      class ReachBack extends EffectiveDatePolicy {
        override async earliestAllowed(_tx: EntityManager, now: Date): Promise<EarliestAllowed> {
          return { at: new Date(now.getTime() - 2 * day), why: 'the test says so' };
        }
      }
      const reachBack = new ReachBack(loadConfig(testEnv()));
      const tooFar = await write(new AgreementWriter(reachBack), new Date(Date.now() - 3 * day)).catch((error: unknown) => error);
      expect(tooFar).toMatchObject({ code: 'AGREEMENT_EFFECTIVE_IN_PAST' });
      expect((tooFar as DomainError).fields[0].problem).toContain('the test says so');
      // Within reach, but before the version in force began: versions never overlap.
      const overlapping = await write(new AgreementWriter(reachBack), new Date(Date.now() - day)).catch((error: unknown) => error);
      expect(overlapping).toMatchObject({ code: 'AGREEMENT_OVERLAPPING_VERSIONS' });

      const open = await orm.em.fork().findOneOrFail(CommissionAgreement, { party: party.id, effectiveTo: null });
      const from = new Date(open.effectiveFrom.getTime() + 1);
      const created = await write(new AgreementWriter(reachBack), from);
      expect(created.effectiveFrom.getTime()).toBe(from.getTime());
      expect((await orm.em.fork().findOneOrFail(CommissionAgreement, { id: open.id })).effectiveTo?.getTime()).toBe(from.getTime());
    });
  });
});
