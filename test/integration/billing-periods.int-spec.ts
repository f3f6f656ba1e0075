import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { BillingPeriods } from '@wholesail/billing';
import { loadConfig, type AppConfig } from '@wholesail/config';
import { billingPeriod, periodContaining, shiftPeriodId, type BillingPeriod as Period, type DomainError } from '@wholesail/domain';
import { AgreementWriter, ClientCreditWriter, PartyWriter } from '@wholesail/parties';
import { BillingPeriod, ClientAgentCredit, CommissionAgreement, EffectiveDatePolicy, ormConfig, Party } from '@wholesail/persistence';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { testEnv } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * Billing periods on real PostgreSQL: what is finalised never changes (the database refuses it),
 * EffectiveDatePolicy keeps every versioned write out of a finalised period, and a period being
 * finalised while a backdated write runs never lets the write slip into it, whichever goes first.
 * Finalising moves the bound of every versioned write, so this runs on a database of its own.
 */
describe('billing periods (integration)', () => {
  const zone = 'Europe/Amsterdam';
  let db: FreshDatabase;
  let orm: MikroORM;
  let config: AppConfig;
  let periods: BillingPeriods;
  let policy: EffectiveDatePolicy;
  let agreements: AgreementWriter;
  // P0 is the current period in the operator's zone; P-1 the one before, and so on.
  const P = (offset: number): Period => billingPeriod(shiftPeriodId(periodContaining(new Date(), zone).id, offset), zone);
  const middle = (p: Period) => new Date(p.start.getTime() + Math.floor((p.end.getTime() - p.start.getTime()) / 2000) * 1000);

  beforeAll(async () => {
    db = await freshDatabase('periods');
    config = loadConfig({ ...testEnv(), DATABASE_URL: db.url, OPERATOR_TIMEZONE: zone });
    orm = await MikroORM.init(ormConfig(db.url));
    periods = new BillingPeriods(config);
    policy = new EffectiveDatePolicy(config);
    agreements = new AgreementWriter(policy);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  const party = (code: string) => orm.em.fork().findOneOrFail(Party, { code });
  const bound = () => orm.em.fork().transactional((tx) => policy.earliestAllowed(tx, new Date()));
  const addAgreement = (em: EntityManager, code: string, rate: string, effectiveFrom: Date) =>
    em.transactional(async (tx) => agreements.addVersion(tx, await tx.findOneOrFail(Party, { code }), { rate, effectiveFrom }));
  const failureOf = (work: Promise<unknown>) =>
    work.then(
      () => undefined,
      (error: unknown) => error as DomainError,
    );

  /** Database sessions of this database waiting for the billing-period advisory lock. */
  async function waitingForTheLock(): Promise<number> {
    const [row] = await orm.em
      .fork()
      .execute<{ waiting: string }[]>(
        `select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`,
      );
    return Number(row.waiting);
  }

  it('reaches back to the start of the previous month while nothing is finalised', async () => {
    expect(await orm.em.fork().count(BillingPeriod, { status: 'finalised' })).toBe(0);
    const earliest = await bound();
    expect(earliest.at).toEqual(P(-1).start);
    const refused = await failureOf(addAgreement(orm.em.fork(), 'dist-contoso', '0.041', new Date(P(-1).start.getTime() - 1000)));
    expect(refused).toMatchObject({ code: 'AGREEMENT_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveFrom' }] });
    expect(refused!.fields[0].problem).toContain(`must not be before ${P(-1).start.toISOString()}`);
    expect(refused!.fields[0].problem).toContain('no billing period is finalised yet');
  });

  it('finalises only periods that have ended, in order, and says when', async () => {
    const early = await failureOf(periods.finalise(orm.em.fork(), P(0).id, 'test'));
    expect(early).toMatchObject({ code: 'BILLING_PERIOD_NOT_ENDED', fields: [{ field: 'period' }] });

    const first = await periods.finalise(orm.em.fork(), P(-3).id, 'user:finance');
    expect(first).toMatchObject({ period: P(-3).id, status: 'finalised', finalisedBy: 'user:finance' });
    expect((await bound()).at).toEqual(P(-2).start);
    // Idempotent: a retried finalisation returns what was recorded the first time.
    const again = await periods.finalise(orm.em.fork(), P(-3).id, 'workflow:retry');
    expect([again.finalisedBy, again.finalisedAt?.getTime()]).toEqual(['user:finance', first.finalisedAt?.getTime()]);
    const skipping = await failureOf(periods.finalise(orm.em.fork(), P(-1).id, 'test'));
    expect(skipping).toMatchObject({ code: 'BILLING_PERIOD_OUT_OF_ORDER', fields: [{ field: 'period', problem: expect.stringContaining(P(-2).id) }] });
    expect(await periods.status(orm.em.fork(), P(-1).id)).toBe('open');
  });

  it('lets a write that took its bound first commit into the period, and finalises after it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const at = middle(P(-2));
    const write = orm.em.fork().transactional(async (tx) => {
      const version = await agreements.addVersion(tx, await tx.findOneOrFail(Party, { code: 'dist-northwind' }), { rate: '0.051', effectiveFrom: at });
      written();
      await held;
      return version;
    });
    await wrote;
    const finalising = periods.finalise(orm.em.fork(), P(-2).id, 'test');
    await waitFor(async () => ((await waitingForTheLock()) === 1 ? true : undefined));
    expect(await periods.status(orm.em.fork(), P(-2).id)).toBe('open');
    release();
    const version = await write;
    expect(await finalising).toMatchObject({ period: P(-2).id, status: 'finalised' });
    // The version is part of the period that was finalised after it committed.
    const stored = await orm.em.fork().findOneOrFail(CommissionAgreement, { id: version.id });
    expect(stored.effectiveFrom).toEqual(at);
  });

  it('makes a backdated write that waits for a finalisation read the new bound, and refuses it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let finalised!: () => void;
    const done = new Promise<void>((resolve) => (finalised = resolve));
    const finalisation = orm.em.fork().transactional(async (tx) => {
      await periods.finalise(tx, P(-1).id, 'test');
      finalised();
      await held;
    });
    await done;
    const contoso = await party('dist-contoso');
    const before = await orm.em.fork().count(CommissionAgreement, { party: contoso });
    const write = failureOf(addAgreement(orm.em.fork(), 'dist-contoso', '0.042', middle(P(-1))));
    await waitFor(async () => ((await waitingForTheLock()) === 1 ? true : undefined));
    release();
    await finalisation;
    const refused = await write;
    expect(refused).toMatchObject({ code: 'AGREEMENT_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveFrom' }] });
    expect(refused!.fields[0].problem).toContain(`must not be before ${P(0).start.toISOString()}: billing period ${P(-1).id} is finalised`);
    expect(await orm.em.fork().count(CommissionAgreement, { party: contoso })).toBe(before);
    expect((await bound()).at).toEqual(P(0).start);
  });

  it('keeps a finalised period final in the database, whoever writes', async () => {
    const conn = orm.em.fork().getConnection();
    const refusal = /billing period \d{4}-\d{2} is finalised: it never changes/;
    await expect(
      conn.execute(`update billing_period set status = 'open', finalised_at = null, finalised_by = null where period = ?`, [P(-1).id]),
    ).rejects.toThrow(refusal);
    await expect(conn.execute(`update billing_period set finalised_by = 'someone else' where period = ?`, [P(-1).id])).rejects.toThrow(refusal);
    await expect(conn.execute(`delete from billing_period where period = ?`, [P(-1).id])).rejects.toThrow(refusal);
    expect(await periods.status(orm.em.fork(), P(-1).id)).toBe('finalised');

    // The row's own rules are constraints too.
    await expect(
      conn.execute(`insert into billing_period (period, status, created_at, updated_at) values ('2001-01', 'finalised', now(), now())`),
    ).rejects.toThrow(/billing_period_finalised_check/);
    await expect(conn.execute(`insert into billing_period (period, status, created_at, updated_at) values ('2001-13', 'open', now(), now())`)).rejects.toThrow(
      /billing_period_period_check/,
    );
    await expect(
      conn.execute(`insert into billing_period (period, status, created_at, updated_at) values ('2001-02', 'closed', now(), now())`),
    ).rejects.toThrow(/billing_period_status_check/);
    // An open period may still change (the billing run moves it through its states).
    await conn.execute(`insert into billing_period (period, status, created_at, updated_at) values ('2001-03', 'open', now(), now())`);
    await conn.execute(`update billing_period set status = 'open', updated_at = now() where period = '2001-03'`);
    await conn.execute(`delete from billing_period where period = '2001-03'`);
  });

  it('lets a client’s activeSince and agent credit change only after the finalised periods', async () => {
    const writer = new PartyWriter(policy);
    const credits = new ClientCreditWriter(policy);
    const change = (code: string, activeSince: Date) =>
      failureOf(
        orm.em.fork().transactional(async (tx) => writer.update(tx, await tx.findOneOrFail(Party, { code }), { activeSince: activeSince.toISOString() })),
      );

    // Umbrella has been a customer since December 2025, inside the finalised periods: settled.
    expect(await change('client-umbrella', P(0).start)).toMatchObject({
      code: 'PARTY_ACTIVE_SINCE_SETTLED',
      fields: [{ field: 'activeSince' }],
    });
    // A client that became a customer this month may move within it, not into a finalised period.
    const client = await orm.em.fork().transactional(async (tx) =>
      writer.create(tx, {
        kind: 'client',
        name: 'Going Live Client',
        parent: await tx.findOneOrFail(Party, { code: 'reseller-acme' }),
        foundBy: await tx.findOneOrFail(Party, { code: 'agent-alice' }),
        activeSince: P(0).start.toISOString(),
        billingEmail: 'ap@going-live.test',
      }),
    );
    expect(await change(client.code, new Date(P(0).start.getTime() - 1000))).toMatchObject({ code: 'PARTY_ACTIVE_SINCE_IN_FINALISED_PERIOD' });
    const later = new Date(Math.min(Date.now(), P(0).start.getTime() + 3600_000));
    expect(await change(client.code, later)).toBeUndefined();
    expect((await party(client.code)).activeSince).toEqual(later);
    // Its credit history starts when it became a customer, so the first span moved with it.
    const history = await orm.em.fork().find(ClientAgentCredit, { client: client.id });
    expect(history.map((c) => [c.effectiveFrom, c.effectiveTo ?? null])).toEqual([[later, null]]);

    // A re-credit reaches back no further than the policy allows.
    const refused = await failureOf(
      orm.em
        .fork()
        .transactional(async (tx) => credits.recredit(tx, await tx.findOneOrFail(Party, { id: client.id }), { agent: null, effectiveFrom: middle(P(-1)) })),
    );
    expect(refused).toMatchObject({
      code: 'PARTY_CREDIT_IN_PAST',
      fields: [{ field: 'effectiveFrom', problem: expect.stringContaining(P(0).start.toISOString()) }],
    });
  });
});
