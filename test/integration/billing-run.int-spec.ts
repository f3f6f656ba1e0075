import { MikroORM } from '@mikro-orm/postgresql';
import { BillingCheck, BillingCuts, BillingDocumentReader, BillingNumbering, BillingPeriods, BillingRating, BillingRuns } from '@wholesail/billing';
import type { AppConfig } from '@wholesail/config';
import type { BillingDocument } from '@wholesail/contracts';
import { billingPeriod, periodContaining, shiftPeriodId } from '@wholesail/domain';
import { BillingRun, ormConfig, type Party } from '@wholesail/persistence';
import { UsageFreezer, UsageReader } from '@wholesail/usage';
import { BillingWorld } from '../support/billing-world';
import { freshDatabase, type FreshDatabase } from '../support/database';

/**
 * The billing run's activities on real PostgreSQL, driven in the workflow's order on a database of
 * their own (a run bills every client and finalises the period): rating and cuts page by page,
 * drafts, the invariants, numbering, and what the database refuses once a document is final.
 *
 * The month (the previous calendar month, UTC), worked by hand. VCPU costs 10.00 a month wholesale.
 *
 *   D (distributor: 5 %, 2.00 per active client) ── R (reseller, clients +20 %, sub-resellers +10 %)
 *       R ── C   3 vCPU all month, found by A (agent of D: 10 %, operator-funded)
 *       R ── S (sub-reseller, clients +25 %) ── C2   2 vCPU all month
 *
 *   C:  wholesale 3 × 10.00 = 30.00; R sells at 12.00: 36.00.
 *   C2: wholesale 20.00; R sells to S at 11.00: 22.00; S sells at 13.75: 27.50.
 *   D:  5 % of 30.00 = 1.50 and of 20.00 = 1.00; fees 2.00 + 2.00 → payout 6.50.
 *   A:  10 % of 30.00 = 3.00.      Operator net: 50.00 − 6.50 − 3.00 = 40.50.
 *   Client invoices 36.00 + 27.50 = 63.50 = margins (R 36.00 + 22.00 − 50.00 = 8.00, S 5.50) + wholesale 50.00.
 */
describe('billing run activities (integration)', () => {
  let db: FreshDatabase;
  let orm: MikroORM;
  const config = { operatorTimeZone: 'UTC', billing: { financeEmail: 'finance@operator.test' } } as AppConfig;
  let runs: BillingRuns;
  let rating: BillingRating;
  let cuts: BillingCuts;
  let check: BillingCheck;
  let numbering: BillingNumbering;
  let reader: BillingDocumentReader;
  let freezer: UsageFreezer;
  const period = shiftPeriodId(periodContaining(new Date(), 'UTC').id, -1);
  const { start, end } = billingPeriod(period, 'UTC');
  const p: Record<'d' | 'a' | 'r' | 's' | 'c' | 'c2', Party> = {} as never;

  beforeAll(async () => {
    db = await freshDatabase('billing_int');
    orm = await MikroORM.init(ormConfig(db.url));
    const periods = new BillingPeriods(config);
    runs = new BillingRuns(orm.em, periods);
    rating = new BillingRating(orm.em, config, runs, new UsageReader(orm.em, config));
    cuts = new BillingCuts(orm.em, config, runs);
    check = new BillingCheck(orm.em, config, runs);
    numbering = new BillingNumbering(orm.em);
    reader = new BillingDocumentReader(orm.em);
    freezer = new UsageFreezer(orm.em, config);

    const w = new BillingWorld(orm.em.fork());
    const operator = await w.operator();
    const vcpu = await w.item('vcpu', '10.00', 'vCPU');
    p.d = await w.party('distributor', 'Dist', operator);
    p.a = await w.party('agent', 'Agent', p.d);
    p.r = await w.party('reseller', 'Reseller', p.d);
    p.s = await w.party('reseller', 'Sub', p.r);
    p.c = await w.party('client', 'Client', p.r, { activeSince: new Date('2020-01-01T00:00:00Z'), foundBy: p.a });
    p.c2 = await w.party('client', 'Client2', p.s, { activeSince: new Date('2020-01-01T00:00:00Z') });
    await w.assign(p.r, p.d);
    await w.agreement(p.d, { rate: '0.05', feePerActiveClient: '2.00' });
    await w.agreement(p.a, { rate: '0.10' });
    await w.priceBook(p.r, 'clients', '20');
    await w.priceBook(p.r, 'subResellers', '10');
    await w.priceBook(p.s, 'clients', '25');
    await w.event(p.c, 'vm-c', vcpu, 'start', new Date(start.getTime() - 86_400_000), '3');
    await w.event(p.c2, 'vm-c2', vcpu, 'start', start, '2');
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  async function newRun(mode: 'run' | 'dry-run' = 'run'): Promise<string> {
    const em = orm.em.fork();
    const run = em.create(BillingRun, { period, mode, workflowId: `test:${period}:${Date.now()}`, startedBy: 'test' });
    await em.flush();
    return run.id;
  }

  /** The workflow's page loop, with pages of 3 clients (the seeded demo clients make several pages). */
  async function rateAndDraft(runId: string, round = 1): Promise<{ pages: number }> {
    await runs.startRound(runId, round);
    let page = 1;
    for (let cursor: string | null = null; ; page++) {
      const rated = await rating.ratePage({ runId, round, page, afterClientId: cursor, pageSize: 3 });
      if (rated.clients === 0) break;
      cursor = rated.lastClientId;
    }
    await cuts.computeVolumes(runId, round);
    for (let n = 1; n < page; n++) await cuts.cutPage({ runId, round, page: n });
    await check.finishDrafts(runId, round);
    return { pages: page - 1 };
  }

  async function documents(runId: string): Promise<BillingDocument[]> {
    const rows: Array<{ id: string }> = await orm.em.fork().execute(`select id from billing_document where run_id = ? order by kind, id`, [runId]);
    return Promise.all(rows.map((r) => reader.document(r.id)));
  }

  const byParties = (docs: BillingDocument[], kind: string, issuer: Party, recipientId?: string) =>
    docs.find((d) => d.kind === kind && d.issuer.id === issuer.id && (recipientId === undefined || d.recipient.id === recipientId))!;

  it('rates page by page, drafts every document and checks the ledger against them', async () => {
    const runId = await newRun();
    await freezer.freeze(period, 'test');
    const { pages } = await rateAndDraft(runId);
    expect(pages).toBeGreaterThan(1);
    const result = await check.check(runId, 1);
    expect(result).toMatchObject({ ok: true, violationCount: 0 });
    expect(result.totals).toMatchObject({
      clientInvoices: '63.50',
      resellerMargins: '13.50',
      wholesale: '50.00',
      distributorCuts: '6.50',
      operatorFundedAgentCuts: '3.00',
      operatorNet: '40.50',
    });

    const docs = await documents(runId);
    expect(docs.map((d) => [d.kind, d.issuer.id, d.recipient.id, d.totals.total]).sort()).toEqual(
      [
        ['client-invoice', p.r.id, p.c.id, '36.00'],
        ['client-invoice', p.s.id, p.c2.id, '27.50'],
        ['wholesale-invoice', (docs.find((d) => d.issuer.kind === 'operator') as BillingDocument).issuer.id, p.r.id, '50.00'],
        ['wholesale-invoice', p.r.id, p.s.id, '22.00'],
        ['payout-invoice', p.d.id, docs.find((d) => d.kind === 'payout-invoice')!.recipient.id, '6.50'],
        ['payout-invoice', p.a.id, docs.find((d) => d.kind === 'payout-invoice')!.recipient.id, '3.00'],
      ].sort(),
    );
    expect(docs.every((d) => d.status === 'draft' && d.number === null)).toBe(true);
    const dPayout = byParties(docs, 'payout-invoice', p.d);
    expect(dPayout.deliverTo).toBe('finance@operator.test');
    expect(dPayout.lines.map((l) => [l.kind, l.resellerId, l.clientCount, l.basis, l.rate, l.amount])).toEqual([
      ['commission', p.r.id, 2, '50.00', '0.05', '2.50'],
      ['fee', p.r.id, 2, null, null, '4.00'],
    ]);
    expect(dPayout.agreements.map((a) => [a.rate, a.feePerActiveClient])).toEqual([['0.05', '2']]);
    const aPayout = byParties(docs, 'payout-invoice', p.a);
    expect(aPayout.lines.map((l) => [l.kind, l.clientId, l.basis, l.rate, l.amount])).toEqual([['agent-commission', p.c.id, '30.00', '0.1', '3.00']]);
    const c2Invoice = byParties(docs, 'client-invoice', p.s, p.c2.id);
    expect(c2Invoice.lines.map((l) => [l.kind, l.quantity, l.proratedQuantity, l.unitPrice, l.amount, l.from, l.to])).toEqual([
      ['usage', '2', '2.000000', '13.75', '27.50', start.toISOString(), end.toISOString()],
    ]);
    expect(byParties(docs, 'wholesale-invoice', p.r, p.s.id).lines.map((l) => [l.clientId, l.unitPrice, l.amount])).toEqual([[p.c2.id, '11', '22.00']]);

    // A retried page replaces its own rows; cutting a page again changes nothing.
    await rating.ratePage({ runId, round: 1, page: 1, afterClientId: null, pageSize: 3 });
    await cuts.cutPage({ runId, round: 1, page: 1 });
    expect((await check.check(runId, 1)).ok).toBe(true);
  });
});
