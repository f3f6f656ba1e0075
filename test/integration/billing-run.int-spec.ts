import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { BillingCheck, BillingCuts, BillingDocumentReader, BillingNumbering, BillingPeriods, BillingRating, BillingRuns } from '@wholesail/billing';
import type { AppConfig } from '@wholesail/config';
import type { BillingDocument } from '@wholesail/contracts';
import { billingPeriod, periodContaining, shiftPeriodId } from '@wholesail/domain';
import { BillingRun, ormConfig, type Party } from '@wholesail/persistence';
import { UsageFreezer, UsageReader } from '@wholesail/usage';
import { draftId, draftIdOf, keepDocumentStatisticsCurrent, STATISTICS_ENOUGH } from '../../libs/billing/src/run/invoice-drafts';
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
  const config = { operatorTimeZone: 'UTC', billing: { financeEmail: 'finance@operator.test', sliceSize: 2000 } } as AppConfig;
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

  /** A new run row, as the API creates one; the period's run under way (one at most) is ended first. */
  async function newRun(mode: 'run' | 'dry-run' = 'run'): Promise<string> {
    const em = orm.em.fork();
    for (const active of await em.find(BillingRun, { period, mode: 'run', status: 'running' })) {
      await runs.setStatus({ runId: active.id, status: 'failed', phase: 'done', round: active.round });
    }
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
    const before = Date.now();
    const { pages } = await rateAndDraft(runId);
    const after = Date.now();
    expect(pages).toBeGreaterThan(1);
    // Invoice lines' ids: version-4 UUIDs whose first 48 bits are the instant their slice was drafted, in ms.
    const lineIds: Array<{ id: string }> = await orm.em
      .fork()
      .execute(`select l.id from billing_document_line l join billing_document d on d.id = l.document_id where d.run_id = ? and d.kind <> 'payout-invoice'`, [
        runId,
      ]);
    expect(lineIds.length).toBeGreaterThan(0);
    for (const { id } of lineIds) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const at = parseInt(id.replace('-', '').slice(0, 12), 16);
      expect(at).toBeGreaterThanOrEqual(before - 1000);
      expect(at).toBeLessThanOrEqual(after + 1000);
    }
    expect(new Set(lineIds.map((l) => l.id)).size).toBe(lineIds.length);
    // Every draft's id derives from its key: the same worked out in the worker (client and wholesale
    // invoices) as in SQL (payouts).
    const drafts: Array<{ id: string; kind: string; issuer_id: string; recipient_id: string; derived: string }> = await orm.em
      .fork()
      .execute(
        `select id, kind, issuer_id, recipient_id, ${draftId('run_id', 'round', 'kind', 'issuer_id', 'recipient_id')} as derived from billing_document where run_id = ?`,
        [runId],
      );
    expect(new Set(drafts.map((d) => d.kind))).toEqual(new Set(['client-invoice', 'wholesale-invoice', 'payout-invoice']));
    for (const d of drafts) {
      expect(d.derived).toBe(d.id);
      expect(draftIdOf(runId, 1, d.kind, d.issuer_id, d.recipient_id)).toBe(d.id);
    }
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

  it("computes the next page's cuts ahead, and never removes a page cut already", async () => {
    const runId = await newRun('dry-run');
    const { pages } = await rateAndDraft(runId);
    expect(pages).toBeGreaterThan(1);
    const em = orm.em.fork();
    const cutLines = async () =>
      Object.fromEntries(
        (
          await em.execute<Array<{ page: number; lines: number }>>(
            `select page, count(*)::int as lines from billing_cut_line where run_id = ? group by page order by page`,
            [runId],
          )
        ).map((r) => [r.page, r.lines]),
      );
    const before = await cutLines();
    // A page after the first with cut lines, and the page before it.
    const next = Object.keys(before)
      .map(Number)
      .find((page) => page > 1)!;
    expect(next).toBeDefined();
    // The page before cut again (a retry) computes this one's ahead: it was cut, so that is dropped and its rows stay.
    await cuts.cutPage({ runId, round: 1, page: next - 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await cutLines()).toEqual(before);
    // Its own retry removes its earlier rows itself and writes the same ones.
    await cuts.cutPage({ runId, round: 1, page: next });
    expect(await cutLines()).toEqual(before);
    expect((await check.check(runId, 1)).ok).toBe(true);
  });

  it('stops on a broken invariant, naming it and both amounts', async () => {
    const runId = await newRun('dry-run');
    await rateAndDraft(runId);
    // Someone changes a draft line (and its total) by hand: the drafts no longer say what the ledger says.
    const em = orm.em.fork();
    await em.execute(
      `update billing_document_line set amount = amount + 0.01 where id = (
         select l.id from billing_document_line l join billing_document d on d.id = l.document_id where d.run_id = ? and d.kind = 'client-invoice' limit 1)`,
      [runId],
    );
    await em.execute(
      `update billing_document d set total = s.total from (select document_id, sum(amount) as total from billing_document_line group by document_id) s
        where d.id = s.document_id and d.run_id = ?`,
      [runId],
    );
    let result = await check.check(runId, 1);
    expect(result.ok).toBe(false);
    expect(result.violations.find((v) => v.subject === 'client invoices')).toMatchObject({
      invariant: 'statements-match-ledger',
      expected: '63.51',
      actual: '63.50',
    });
    expect((await runs.get(runId)).invariants).toMatchObject({ ok: false });

    // And a ledger that no longer splits: a receivable booked a cent more than its sales.
    await em.execute(
      `update billing_ledger_balance set amount = amount + 0.01 where run_id = ? and account like 'client-receivable:%' and (page, account) = (
         select page, account from billing_ledger_balance where run_id = ? and account like 'client-receivable:%' limit 1)`,
      [runId, runId],
    );
    result = await check.check(runId, 1);
    expect(result.violations.map((v) => v.invariant)).toEqual(expect.arrayContaining(['entry-balanced', 'client-invoices-split']));
    expect(result.violations.find((v) => v.invariant === 'client-invoices-split')).toMatchObject({ expected: '63.50', actual: '63.51' });
  });

  it('rates again, whole, a page whose attempt failed after some of its slices were written', async () => {
    const runId = await newRun('dry-run');
    await runs.startRound(runId, 1);
    // One page of every client (the clients with usage are in it, whatever their ids), a slice per client.
    const wholePage = { runId, round: 1, page: 1, afterClientId: null, pageSize: 10_000 };
    const sliced = new BillingRating(orm.em, { ...config, billing: { ...config.billing, sliceSize: 1 } }, runs, new UsageReader(orm.em, config));
    const em = orm.em.fork();
    const left = async () =>
      (
        (await em.execute(
          `select (select count(*) from billing_rated_line where run_id = ?)::int as rated, (select count(*) from billing_run_page where run_id = ?)::int as pages,
                  (select count(*) from billing_document_line l join billing_document d on d.id = l.document_id where d.run_id = ?)::int as lines`,
          [runId, runId, runId],
        )) as Array<{ rated: number; pages: number; lines: number }>
      )[0];
    // The second slice's invoice lines fail (as a dropped connection would), after the first slice
    // (rated lines, headers, invoice lines: one transaction) committed.
    await em.execute(`create sequence test_failing_drafts`);
    await em.execute(`create function test_failing_drafts() returns trigger language plpgsql as $$
      begin if nextval('test_failing_drafts') > 1 then raise exception 'drafting failed (test)'; end if; return null; end $$`);
    await em.execute(`create trigger test_failing_drafts after insert on billing_document_line for each statement execute function test_failing_drafts()`);
    try {
      await expect(sliced.ratePage(wholePage)).rejects.toThrow(/drafting failed/);
      const after = await left();
      expect(after.rated).toBeGreaterThan(0);
      expect(after.lines).toBeGreaterThan(0);
      expect(after.pages).toBe(0);
    } finally {
      await em.execute(`drop trigger test_failing_drafts on billing_document_line`);
      await em.execute(`drop function test_failing_drafts()`);
      await em.execute(`drop sequence test_failing_drafts`);
    }

    // The retry replaces what the failed attempt left: the run comes out as one without the failure.
    const rated = await rating.ratePage(wholePage);
    expect(await rating.ratePage({ ...wholePage, page: 2, afterClientId: rated.lastClientId })).toMatchObject({ clients: 0 });
    await cuts.computeVolumes(runId, 1);
    await cuts.cutPage({ runId, round: 1, page: 1 });
    await check.finishDrafts(runId, 1);
    const [page]: Array<{ rated_line_count: number }> = await em.execute(`select rated_line_count from billing_run_page where run_id = ? and page = 1`, [
      runId,
    ]);
    const [{ count }]: Array<{ count: number }> = await em.execute(
      `select count(*)::int as count from billing_rated_line where run_id = ? and page = 1 and scenario = 'current'`,
      [runId],
    );
    expect(count).toBe(page.rated_line_count);
    expect(count).toBe(rated.ratedLines);
    // No line twice: one client invoice line per rated line, and every client invoice's lines add up to its total.
    const [drafted]: Array<{ lines: number; off: number }> = await em.execute(
      `select count(*)::int as lines, (select count(*)::int from billing_document d where d.run_id = ? and d.kind = 'client-invoice'
                and d.total <> (select coalesce(sum(amount), 0) from billing_document_line where document_id = d.id)) as off
         from billing_document_line l join billing_document d on d.id = l.document_id where d.run_id = ? and d.kind = 'client-invoice'`,
      [runId, runId],
    );
    expect(drafted).toEqual({ lines: count, off: 0 });
    const result = await check.check(runId, 1);
    expect(result).toMatchObject({ ok: true, violationCount: 0 });
    expect(result.totals).toMatchObject({ clientInvoices: '63.50', wholesale: '50.00', distributorCuts: '6.50', operatorNet: '40.50' });
  });

  it('numbers gap-free per issuer and series, concurrently too, and never renumbers', async () => {
    const runId = await newRun();
    await rateAndDraft(runId);
    expect((await check.check(runId, 1)).ok).toBe(true);
    // Two numberings of the same issuers racing (a retried activity beside the first attempt): one waits for the other.
    const [a, b] = await Promise.all([
      numbering.numberDocuments({ runId, round: 1, afterIssuerId: null, limit: 100 }),
      numbering.numberDocuments({ runId, round: 1, afterIssuerId: null, limit: 100 }),
    ]);
    expect(a.numbered + b.numbered).toBe(6);
    const again = await numbering.numberDocuments({ runId, round: 1, afterIssuerId: null, limit: 100 });
    expect(again).toMatchObject({ numbered: 0, lastIssuerId: null, documentsFinal: 6 });

    const docs = await documents(runId);
    expect(docs.every((d) => d.status === 'final' && d.number !== null && d.finalisedAt !== null)).toBe(true);
    const rReceived = byParties(docs, 'client-invoice', p.r, p.c.id);
    const rIssued = byParties(docs, 'wholesale-invoice', p.r, p.s.id);
    // R issues two invoices this run: the first of its own series, 1 and 2 (client invoices first).
    expect([rReceived.sequence, rIssued.sequence]).toEqual([1, 2]);
    expect(rReceived.number).toBe(`${p.r.code.toUpperCase()}-INV-000001`);
    expect(byParties(docs, 'payout-invoice', p.d).number).toBe(`${p.d.code.toUpperCase()}-PAY-000001`);
    const counters: Array<{ series: string; last_sequence: number }> = await orm.em
      .fork()
      .execute(`select series, last_sequence from billing_number_counter where issuer_id = ? order by series`, [p.r.id]);
    expect(counters).toEqual([{ series: 'invoice', last_sequence: 2 }]);
  });

  it("analyzes the documents table once it outgrows its statistics (the lines' reference check is planned from them)", async () => {
    const runId = await newRun('dry-run');
    await orm.em
      .fork()
      .transactional(async (tx) => {
        // 3,000 drafts at once: far more pages than the statistics counted before.
        await tx.execute(
          `insert into billing_document (id, run_id, round, period, dry_run, kind, status, series, issuer_id, recipient_id, issuer_snapshot, recipient_snapshot, currency, agreements, created_at, updated_at)
         select gen_random_uuid(), ?, 1000 + n, ?, true, 'client-invoice', 'draft', 'invoice', ?, ?, '{}', '{}', 'EUR', '[]', now(), now() from generate_series(1, 3000) n`,
          [runId, period, p.r.id, p.c.id],
        );
        const stats = async () =>
          (
            (await tx.execute(
              `select relpages as counted, pg_relation_size(oid) / current_setting('block_size')::int as pages from pg_class where oid = 'billing_document'::regclass`,
            )) as Array<{ counted: number; pages: string }>
          )[0];
        const before = await stats();
        expect(Number(before.pages)).toBeGreaterThan(2 * before.counted + 8);
        await keepDocumentStatisticsCurrent(tx);
        const after = await stats();
        expect(after.counted).toBe(Number(after.pages));
        // Counted afresh, it is left alone until it doubles again.
        await keepDocumentStatisticsCurrent(tx);
        expect((await stats()).counted).toBe(after.counted);
        // Counted at STATISTICS_ENOUGH pages or more, it is left to autovacuum however much it grows.
        const more = async (rows: number) =>
          tx.execute(
            `insert into billing_document (id, run_id, round, period, dry_run, kind, status, series, issuer_id, recipient_id, issuer_snapshot, recipient_snapshot, currency, agreements, created_at, updated_at)
             select gen_random_uuid(), ?, 10000 + n, ?, true, 'client-invoice', 'draft', 'invoice', ?, ?, '{}', '{}', 'EUR', '[]', now(), now() from generate_series(1, ?) n`,
            [runId, period, p.r.id, p.c.id, rows],
          );
        while ((await stats()).counted < STATISTICS_ENOUGH) {
          await more(Number((await stats()).pages) * 60);
          await keepDocumentStatisticsCurrent(tx);
        }
        const enough = await stats();
        await more(Number(enough.pages) * 90);
        expect(Number((await stats()).pages)).toBeGreaterThan(2 * enough.counted + 8);
        await keepDocumentStatisticsCurrent(tx);
        expect((await stats()).counted).toBe(enough.counted);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
  });

  it('refuses, in the database, any change to a final document or its lines (raw SQL too)', async () => {
    const [final]: Array<{ id: string; document_id: string }> = await orm.em
      .fork()
      .execute(`select l.id, l.document_id from billing_document_line l join billing_document d on d.id = l.document_id where d.status = 'final' limit 1`);
    const refused = async (sql: string, params: unknown[] = []) => {
      const error = await orm.em
        .fork()
        .execute(sql, params)
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(error?.message).toMatch(/final/);
    };
    await refused(`update billing_document set total = 0 where id = ?`, [final.document_id]);
    await refused(`update billing_document set status = 'draft', number = null, sequence = null, finalised_at = null where id = ?`, [final.document_id]);
    await refused(`delete from billing_document where id = ?`, [final.document_id]);
    await refused(`update billing_document_line set amount = 0 where id = ?`, [final.id]);
    await refused(`delete from billing_document_line where id = ?`, [final.id]);
    await refused(
      `insert into billing_document_line (document_id, kind, sort_key, description, amount, source_ref) values (?, 'usage', 'z', 'sneaked in', 1.00, 'x')`,
      [final.document_id],
    );
    await refused(`truncate billing_document_line`);
    await refused(`truncate billing_document cascade`);
    const [{ total }]: Array<{ total: string }> = await orm.em.fork().execute(`select total from billing_document where id = ?`, [final.document_id]);
    expect(Number(total)).toBeGreaterThan(0);
  });

  it("keeps every line's document, in the database: none missing, a deleted draft takes its lines, a document being written to waits", async () => {
    const runId = await newRun('dry-run');
    const draft = async (em: EntityManager, round: number): Promise<string> => {
      const [{ id }]: Array<{ id: string }> = await em.execute(
        `insert into billing_document (id, run_id, round, period, dry_run, kind, status, series, issuer_id, recipient_id, issuer_snapshot, recipient_snapshot, currency, agreements, created_at, updated_at)
         values (gen_random_uuid(), ?, ?, ?, true, 'client-invoice', 'draft', 'invoice', ?, ?, '{}', '{}', 'EUR', '[]', now(), now()) returning id`,
        [runId, round, period, p.r.id, p.c.id],
      );
      return id;
    };
    const addLines = (em: EntityManager, documentIds: string[]) =>
      em.execute(
        `insert into billing_document_line (document_id, kind, sort_key, description, amount, source_ref)
         select d, 'usage', 'k' || n, 'a line', 1.00, 'x' from unnest(?::uuid[]) d, generate_series(1, 3) n`,
        [`{${documentIds.join(',')}}`],
      );
    const lineCount = async (documentId: string) =>
      Number(
        ((await orm.em.fork().execute(`select count(*) as n from billing_document_line where document_id = ?`, [documentId])) as Array<{ n: string }>)[0].n,
      );
    const em = orm.em.fork();
    const [first, second] = [await draft(em, 2001), await draft(em, 2002)];
    await addLines(em, [first, second]);
    expect(await lineCount(first)).toBe(3);

    // A statement naming a document that does not exist is refused whole, under the reference's name.
    const missing = await addLines(orm.em.fork(), [first, '00000000-0000-4000-8000-000000000001']).then(
      () => null,
      (e: Error & { code?: string; constraint?: string }) => e,
    );
    expect(missing?.message).toMatch(/billing_document_line_document_id_foreign/);
    expect(await lineCount(first)).toBe(3);
    // Nor may a line be moved to one, or a document's id change under its lines.
    const moved = await orm.em
      .fork()
      .execute(`update billing_document_line set document_id = '00000000-0000-4000-8000-000000000002' where document_id = ?`, [first])
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(moved?.message).toMatch(/billing_document_line_document_id_foreign/);
    const renamed = await orm.em
      .fork()
      .execute(`update billing_document set id = gen_random_uuid() where id = ?`, [first])
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(renamed?.message).toMatch(/id never changes/);
    expect(await lineCount(first)).toBe(3);
    // Truncating the documents while lines name them is refused (final documents' own trigger,
    // which refuses it first once any document is final, disabled for this rolled-back transaction).
    const truncated = await orm.em
      .fork()
      .transactional(async (tx) => {
        await tx.execute(`alter table billing_document disable trigger billing_document_final_truncate`);
        await tx.execute(`truncate billing_document`);
        throw new Rollback();
      })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(truncated?.message).toMatch(/truncate billing_document_line first/);

    // Deleting a draft deletes its lines, and only its.
    await orm.em.fork().execute(`delete from billing_document where id = ?`, [first]);
    expect(await lineCount(first)).toBe(0);
    expect(await lineCount(second)).toBe(3);

    // Lines written and not yet committed lock their document: deleting it waits (here: times out).
    await orm.em.fork().transactional(async (writer) => {
      await addLines(writer, [second]);
      const waited = await orm.em
        .fork()
        .transactional(async (deleter) => {
          await deleter.execute(`set local lock_timeout = '300ms'`);
          await deleter.execute(`delete from billing_document where id = ?`, [second]);
        })
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(waited?.message).toMatch(/lock timeout/);
    });
    expect(await lineCount(second)).toBe(6);
    await orm.em.fork().execute(`delete from billing_document where id = ?`, [second]);
    expect(await lineCount(second)).toBe(0);
  });

  it('a new run of a draft period replaces the drafts of the runs that ended; a finalised period is refused', async () => {
    const em = orm.em.fork();
    const stale = await newRun();
    await rateAndDraft(stale);
    await runs.setStatus({ runId: stale, status: 'rejected', phase: 'done', round: 1 });
    const fresh = await newRun();
    await rateAndDraft(fresh);
    const [{ count }]: Array<{ count: string }> = await em.execute(`select count(*) as count from billing_document where run_id = ?`, [stale]);
    expect(Number(count)).toBe(0);

    await expect(runs.finalisePeriod(fresh)).rejects.toMatchObject({ code: 'BILLING_DOCUMENT_NOT_FINAL' });
    await numbering.numberDocuments({ runId: fresh, round: 1, afterIssuerId: null, limit: 100 });
    // R's series goes on from the earlier run's numbers: 3 and 4.
    const docs = await documents(fresh);
    expect([byParties(docs, 'client-invoice', p.r, p.c.id).sequence, byParties(docs, 'wholesale-invoice', p.r, p.s.id).sequence]).toEqual([3, 4]);
    await runs.finalisePeriod(fresh);
    await runs.finalisePeriod(fresh); // idempotent
    const later = await newRun();
    await expect(runs.startRound(later, 1)).rejects.toMatchObject({ code: 'BILLING_PERIOD_FINALISED' });
  });
});

/** Thrown to roll a test's transaction back. */
class Rollback extends Error {}
