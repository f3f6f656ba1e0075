import { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '@wholesail/auth';
import { billingDocumentEmailKey, type BillingDocument } from '@wholesail/contracts';
import { MailInboxClient, type CaughtMessage } from '@wholesail/devstack';
import { messageIdFor } from '@wholesail/mail';
import { parse } from 'csv-parse/sync';
import { pdfText } from '../../libs/billing-documents/src/testing/pdf-text';
import type { Role } from '@wholesail/domain';
import { Party, User } from '@wholesail/persistence';
import { startBillingHarness, type BillingHarness } from '../support/billing-harness';
import { testStack } from '../support/stack';
import type { Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/**
 * The month-end run over HTTP, on a database of its own (a run bills every client of the
 * deployment and finalises the period), for October 2026 in UTC (BILLING_GO_LIVE_FROM=2026-10, so
 * the channel is dated back to its start). Everything is created through the API. Worked by hand:
 *
 *   E2E-VCPU costs 31.00 a month wholesale: 1.00 per vCPU-day in a 31-day month.
 *
 *   D1 North: 5 % up to 200.00 of monthly volume, 10 % above (marginal); 2.00 per active client
 *     A1 (agent of D1): 10 % for a client's first 3 months, operator-funded
 *     R1 (clients +20 %, sub-resellers +10 %)
 *       C1  found by A1, customer since 11 July → A1's 3 months end 11 Oct 00:00
 *           4 vCPU from 1 Oct, resized to 6 on 21 Oct:  10 d × 4 = 40.00 │ 10 d × 4 = 40.00 │ 11 d × 6 = 66.00  → 146.00
 *           at R1's 37.20 a month:                        48.00          │ 48.00             │ 79.20             → 175.20
 *       S1 (sub-reseller, clients +25 %)
 *         C2  joins 16 Oct: 2 vCPU from then, 16 d × 2 = 32.00; R1 → S1 at 34.10: 35.20; S1 → C2 at 42.625: 44.00
 *     R3 (clients +20 %), moved to D2 on 16 Oct 00:00
 *       C4  5 vCPU all month: 15 d under D1 = 75.00 (90.00), 16 d under D2 = 80.00 (96.00)
 *   D2 South: 4 %, no fee
 *     A2 (agent of D2): 2 %, carved out of D2's cut
 *     R2 (clients +10 %)
 *       C3  found by A2: 3 vCPU all month = 93.00; at 34.10: 102.30
 *
 *   D1 volume 146 + 32 + 75 = 253.00 → tiered 200 × 5 % + 53 × 10 % = 15.30, charged at 15.30/253:
 *     C1 146 × 15.3/253 = 8.829… → 8.83   C2 32 × … = 1.935… → 1.94   C4 75 × … = 4.535… → 4.54   (15.31)
 *     fees: C1 2.00, C2 2.00 (a client of D1 all month), C4 2.00 × 15/31 = 0.967… → 0.97          (4.97)
 *     payout 20.28: R1 commission 10.77 (2 clients), R1 fees 4.00, R3 commission 4.54, R3 fee 0.97
 *   D2: C3 93 × 4 % = 3.72, C4 80 × 4 % = 3.20 → gross 6.92; A2's 93 × 2 % = 1.86 carved out → payout 5.06
 *   A1: 10 % of C1's 40.00 in its window = 4.00 (operator-funded).      A2: 1.86.
 *
 *   Σ wholesale 426.00 = operator net 394.80 + Σ distributor cuts 27.20 + Σ operator-funded agent cuts 4.00
 *   Σ client invoices 507.50 = Σ margins 81.50 (R1 32.40, S1 8.80, R2 9.30, R3 31.00) + Σ wholesale 426.00
 */
describe('month-end billing run (e2e)', () => {
  const period = '2026-10';
  const day = (n: number) => new Date(Date.UTC(2026, 9, n)).toISOString();
  const password = 'billing-e2e-password';
  const sku = 'E2E-VCPU';
  let billing: BillingHarness;
  let h: Harness;
  const id: Record<string, string> = {};
  const token: Record<string, string> = {};

  beforeAll(async () => {
    billing = await startBillingHarness('billing_e2e', period, {
      env: { BILLING_PAGE_SIZE: '3', BILLING_FINANCE_EMAIL: 'payables@wholesail.test', BILLING_DRY_RUN_WAIT_SECONDS: '120' },
    });
    h = billing.h;
    token.operator = await h.login('admin@wholesail.demo');
    token.finance = await h.login('finance@wholesail.demo');
    await buildChannel();
  }, 240_000);

  afterAll(async () => {
    await billing?.close();
  });

  const as = (who: string) => ({ Authorization: `Bearer ${token[who]}` });
  const post = (path: string, body: object, who = 'operator', status = 201) => h.http.post(path).set(as(who)).send(body).expect(status);

  async function party(key: string, body: Record<string, unknown>): Promise<void> {
    id[key] = (await post('/parties', { billingEmail: `${key}@billing-e2e.test`, ...body, name: `Billing E2E ${key}` })).body.id;
  }

  async function buildChannel(): Promise<void> {
    await post('/catalog/items', { sku, name: 'vCPU (billing e2e)', category: 'compute', unit: 'vCPU', unitPrice: '31.00', effectiveFrom: day(1) });
    await party('d1', { kind: 'distributor' });
    await party('d2', { kind: 'distributor' });
    await party('a1', { kind: 'agent', parentId: id.d1 });
    await party('a2', { kind: 'agent', parentId: id.d2 });
    await party('r1', { kind: 'reseller', parentId: id.d1 });
    await party('s1', { kind: 'reseller', parentId: id.r1 });
    await party('r2', { kind: 'reseller', parentId: id.d2 });
    await party('r3', { kind: 'reseller', parentId: id.d1 });
    await party('c1', { kind: 'client', parentId: id.r1, foundById: id.a1, activeSince: '2026-07-11T00:00:00Z' });
    await party('c2', { kind: 'client', parentId: id.s1, activeSince: day(16) });
    await party('c3', { kind: 'client', parentId: id.r2, foundById: id.a2, activeSince: '2025-01-01T00:00:00Z' });
    await party('c4', { kind: 'client', parentId: id.r3, activeSince: '2025-01-01T00:00:00Z' });

    const from = { effectiveFrom: day(1) };
    await post(`/parties/${id.d1}/agreements`, { rate: '0.05', feePerActiveClient: '2.00', volumeTiers: [{ from: '200.00', rate: '0.10' }], ...from });
    await post(`/parties/${id.d2}/agreements`, { rate: '0.04', ...from });
    await post(`/parties/${id.a1}/agreements`, { rate: '0.10', firstMonths: 3, ...from });
    await post(`/parties/${id.a2}/agreements`, { rate: '0.02', fundedBy: 'distributor', ...from });
    for (const [reseller, audience, uplift] of [
      ['r1', 'clients', '20'],
      ['r1', 'subResellers', '10'],
      ['s1', 'clients', '25'],
      ['r2', 'clients', '10'],
      ['r3', 'clients', '20'],
    ]) {
      await post('/price-books', { resellerId: id[reseller], audience, defaultUpliftPercent: uplift, ...from });
    }
    await post(`/parties/${id.r3}/moves`, { parentId: id.d2, effectiveFrom: day(16) });

    const event = (tx: string, client: string, resource: string, kind: string, at: string, quantity?: string) => ({
      transactionId: `billing-e2e-${tx}`,
      clientId: id[client],
      resourceId: `billing-e2e-${resource}`,
      sku,
      kind,
      occurredAt: at,
      ...(quantity ? { quantity } : {}),
    });
    await post(
      '/usage/events',
      {
        events: [
          event('c1-start', 'c1', 'vm-c1', 'start', day(1), '4'),
          event('c1-resize', 'c1', 'vm-c1', 'change', day(21), '6'),
          event('c2-start', 'c2', 'vm-c2', 'start', day(16), '2'),
          event('c3-start', 'c3', 'vm-c3', 'start', day(1), '3'),
          event('c4-start', 'c4', 'vm-c4', 'start', day(1), '5'),
        ],
      },
      'operator',
      200,
    );

    const em = h.app.get(EntityManager).fork();
    const passwordHash = await hashPassword(password);
    const users: Array<[string, Role]> = [
      ['d1', 'distributor-admin'],
      ['d2', 'distributor-admin'],
      ['a1', 'agent'],
      ['a2', 'agent'],
      ['r1', 'reseller-admin'],
      ['s1', 'reseller-admin'],
      ['c1', 'client-user'],
    ];
    for (const [who, role] of users) {
      const of = await em.findOneOrFail(Party, { id: id[who] });
      em.create(User, { email: `${who}@billing-e2e.test`, displayName: who, party: of, roles: [role], passwordHash, status: 'active' });
    }
    await em.flush();
    for (const [who] of users) token[who] = await h.login(`${who}@billing-e2e.test`, password);
  }

  const run = () => h.http.get(`/billing/runs/${period}`).set(as('finance'));
  const untilRun = (predicate: (body: any) => boolean, timeoutMs = 120_000) =>
    waitFor(
      async () => {
        const body = (await run()).body;
        if (body.status === 'failed') throw new Error(`the run failed: ${JSON.stringify(body.failure)}`);
        return predicate(body) ? body : undefined;
      },
      timeoutMs,
      500,
    );
  const payoutOf = (result: any, key: string) => result.payouts.find((p: { partyId: string }) => p.partyId === id[key]);

  it('a dry run returns every figure, checked, and writes nothing final', async () => {
    const response = await post('/billing/runs', { period, dryRun: true }, 'finance', 200);
    expect(response.body).toMatchObject({ mode: 'dry-run', status: 'completed', invariants: { ok: true } });
    expect(response.body.totals).toMatchObject({
      clientInvoices: '507.50',
      resellerMargins: '81.50',
      wholesale: '426.00',
      distributorCuts: '27.20',
      operatorFundedAgentCuts: '4.00',
      carveOuts: '1.86',
      operatorNet: '394.80',
    });
    expect([payoutOf(response.body.result, 'd1').payout, payoutOf(response.body.result, 'd2').payout]).toEqual(['20.28', '5.06']);
    expect([payoutOf(response.body.result, 'a1').payout, payoutOf(response.body.result, 'a2').payout]).toEqual(['4.00', '1.86']);
    // Nothing frozen, nothing finalised, no document listed outside the dry run.
    const events = (await h.http.get(`/usage/events?clientId=${id.c1}`).set(as('operator')).expect(200)).body.items;
    expect(events.map((e: { freezePeriod: string | null }) => e.freezePeriod)).toEqual([null, null]);
    expect((await h.http.get(`/statements?period=${period}`).set(as('operator')).expect(200)).body.meta.total).toBe(0);
    const drafts = (await h.http.get(`/statements?runId=${response.body.id}`).set(as('operator')).expect(200)).body.items;
    expect(drafts.map((d: { status: string; number: string | null }) => [d.status, d.number])).toEqual(Array(4).fill(['draft', null]));
  });

  it('what-if: every payout under proposed agreement versions beside the current terms', async () => {
    const response = await post(
      '/billing/runs',
      {
        period,
        whatIf: {
          agreements: [
            { partyId: id.d1, rate: '0.06', feePerActiveClient: '2.00' },
            { partyId: id.a2, rate: '0.03', fundedBy: 'distributor' },
          ],
        },
      },
      'finance',
      200,
    );
    expect(response.body).toMatchObject({ mode: 'what-if', status: 'completed', invariants: { ok: true } });
    // D1 at a flat 6 %: 8.76 + 1.92 + 4.50 + fees 4.97 = 20.15. A2 at 3 % of 93.00 = 2.79, carved out of D2's 6.92: 4.13.
    const result = response.body.result;
    expect(payoutOf(result, 'd1')).toMatchObject({ current: '20.28', proposed: '20.15', difference: '-0.13' });
    expect(payoutOf(result, 'd2')).toMatchObject({ current: '5.06', proposed: '4.13', difference: '-0.93' });
    expect(payoutOf(result, 'a1')).toMatchObject({ current: '4.00', proposed: '4.00' });
    expect(payoutOf(result, 'a2')).toMatchObject({ current: '1.86', proposed: '2.79' });
    // 426.00 − (20.15 + 6.92) − 4.00 = 394.93.
    expect(result.operatorNet).toEqual({ current: '394.80', proposed: '394.93' });

    const bad = await post('/billing/runs', { period, whatIf: { agreements: [{ partyId: id.r1, rate: '1.5' }] } }, 'finance', 400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['whatIf.agreements[0].partyId']);
    const badRate = await post('/billing/runs', { period, whatIf: { agreements: [{ partyId: id.a1, rate: '1.5' }] } }, 'finance', 400);
    expect(badRate.body.fields).toEqual([{ field: 'whatIf.agreements[0].rate', problem: 'must be a fraction between 0 and 1 (0.05 is 5 %)' }]);
  });

  it('runs the month: drafts checked against the ledger, changes requested and re-rated, approved from the inbox, numbered and final', async () => {
    const key = { 'Idempotency-Key': `billing-e2e-${period}` };
    const started = await h.http.post('/billing/runs').set(as('finance')).set(key).send({ period }).expect(202);
    expect(started.body).toMatchObject({ mode: 'run', workflowId: `billing-run:${period}` });
    const replay = await h.http.post('/billing/runs').set(as('finance')).set(key).send({ period }).expect(202);
    expect([replay.headers['idempotent-replayed'], replay.body.id]).toEqual(['true', started.body.id]);
    expect((await post('/billing/runs', { period }, 'operator', 409)).body.code).toBe('BILLING_RUN_IN_PROGRESS');
    expect((await post('/billing/runs', { period: '2099-01' }, 'operator', 409)).body.code).toBe('BILLING_PERIOD_NOT_ENDED');
    expect((await h.http.post('/billing/runs').set(as('d1')).send({ period }).expect(403)).body.code).toBe('ROLE_REQUIRED');

    let body = await untilRun((b) => b.status === 'awaiting-approval');
    expect(body).toMatchObject({
      round: 1,
      phase: 'approval',
      invariants: { ok: true, violationCount: 0 },
      progress: { clientsRated: body.progress.clientsTotal, documentsTotal: 12 },
      totals: { clientInvoices: '507.50', wholesale: '426.00', operatorNet: '394.80' },
      excludedCount: 0,
    });

    // While finance looks, C3's VM stops on 25 October: recorded after the freeze, it is the next run's.
    await post(
      '/usage/events',
      {
        events: [{ transactionId: 'billing-e2e-c3-stop', clientId: id.c3, resourceId: 'billing-e2e-vm-c3', sku, kind: 'stop', occurredAt: day(25) }],
      },
      'operator',
      200,
    );
    const inbox = async () =>
      waitFor(async () => {
        const items = (await h.http.get('/approvals/tasks').set(as('finance')).expect(200)).body.items as Array<{
          id: string;
          round: number;
          subjectType?: string;
        }>;
        return items.find((t) => t.id.startsWith(`billing-run:${period}:`));
      });
    const first = await inbox();
    expect(first.id).toBe(`billing-run:${period}:${started.body.id}:finance:1`);
    expect((await post(`/billing/runs/${period}/rerate`, {}, 'finance', 409)).body.code).toBe('BILLING_RUN_NOT_AWAITING_RERATE');
    await post(`/approvals/tasks/${first.id}/decisions`, { decision: 'request-changes', comment: 'C3 stopped on the 25th: please re-rate' }, 'finance', 200);
    await untilRun((b) => b.status === 'changes-requested');
    await post(`/billing/runs/${period}/rerate`, { comment: 'checked' }, 'finance', 202);

    body = await untilRun((b) => b.status === 'awaiting-approval' && b.round === 2);
    // Round 2 says what it left out, and why; the month's figures stand.
    expect(body.excludedCount).toBe(1);
    expect(body.excluded).toEqual([
      {
        transactionId: 'billing-e2e-c3-stop',
        kind: 'resource-event',
        clientId: id.c3,
        sku,
        resourceId: 'billing-e2e-vm-c3',
        usagePeriod: period,
        reason: 'arrived-after-freeze',
      },
    ]);
    expect(body.totals).toMatchObject({ clientInvoices: '507.50', wholesale: '426.00', operatorNet: '394.80' });
    const second = await inbox();
    expect(second.id).toBe(`billing-run:${period}:${started.body.id}:finance:2`);
    await post(`/approvals/tasks/${second.id}/decisions`, { decision: 'approve' }, 'finance', 200);

    body = await untilRun((b) => b.progress.documentsFinal === 12 && ['emailing', 'completed'].includes(b.status));
    expect(body.decision).toMatchObject({ decision: 'approve', round: 2 });
    expect((await post('/billing/runs', { period }, 'operator', 409)).body.code).toBe('BILLING_PERIOD_FINALISED');
    expect((await post('/billing/runs', { period, dryRun: true }, 'operator', 409)).body.code).toBe('BILLING_PERIOD_FINALISED');
  });

  const statement = async (who: string): Promise<BillingDocument> => {
    const list = (await h.http.get(`/statements?period=${period}`).set(as(who)).expect(200)).body;
    expect(list.meta.total).toBe(1);
    return (await h.http.get(`/documents/${list.items[0].id}`).set(as(who)).expect(200)).body;
  };
  const lines = (doc: BillingDocument) => doc.lines.map((l) => [l.kind, l.resellerId ?? l.agentId ?? l.clientId, l.clientCount, l.basis, l.amount]);

  it('publishes each distributor’s and agent’s payout statement, numbered, to the cent', async () => {
    const d1 = await statement('d1');
    expect(d1).toMatchObject({
      kind: 'payout-invoice',
      status: 'final',
      deliverTo: 'payables@wholesail.test',
      totals: { gross: '20.28', deductions: '0.00', total: '20.28' },
    });
    expect(d1.number).toMatch(/-PAY-000001$/);
    expect(d1.recipient.kind).toBe('operator');
    expect(d1.agreements.map((a) => [a.rate, a.feePerActiveClient, a.volumeTiers])).toEqual([['0.05', '2', [{ from: '200', rate: '0.1' }]]]);
    expect(lines(d1).sort()).toEqual(
      [
        ['commission', id.r1, 2, '178.00', '10.77'],
        ['fee', id.r1, 2, null, '4.00'],
        ['commission', id.r3, 1, '75.00', '4.54'],
        ['fee', id.r3, 1, null, '0.97'],
      ].sort(),
    );
    const d2 = await statement('d2');
    expect(d2.totals).toEqual({ lineCount: 3, gross: '6.92', deductions: '1.86', total: '5.06' });
    expect(lines(d2).sort()).toEqual(
      [
        ['commission', id.r2, 1, '93.00', '3.72'],
        ['commission', id.r3, 1, '80.00', '3.20'],
        ['carve-out', id.a2, 1, '93.00', '-1.86'],
      ].sort(),
    );
    const a1 = await statement('a1');
    expect(a1.lines.map((l) => [l.kind, l.clientId, l.basis, l.rate, l.amount])).toEqual([['agent-commission', id.c1, '40.00', '0.1', '4.00']]);
    expect((await statement('a2')).totals.total).toBe('1.86');
  });

  it('e-mails the operator’s finance address one payout invoice per distributor and per agent, PDF and CSV attached, to the cent', async () => {
    const done = await untilRun((b) => b.status === 'completed');
    expect(done.progress).toMatchObject({ emailsTotal: 12, emailsSent: 12 });
    const inbox = new MailInboxClient(testStack().mailApiUrl);
    const finance = 'payables@wholesail.test';
    // The shared catcher holds every test file's mail: this run's go to its own addresses.
    const caught = async (to: string) => {
      const summaries = (await inbox.list()).filter((m) => m.to.some((address) => address.includes(to)));
      return Promise.all(summaries.map((m) => inbox.get(m.id)));
    };
    const payouts = await waitFor(async () => {
      const mails = await caught(finance);
      return mails.length >= 4 ? mails : undefined;
    });
    const expected: Record<string, string> = { d1: '20.28', d2: '5.06', a1: '4.00', a2: '1.86' };
    const byNumber = new Map<string, CaughtMessage>(payouts.map((m) => [/ (\S+-PAY-\d+) /.exec(m.subject)?.[1] ?? m.subject, m]));
    expect(payouts).toHaveLength(4);
    expect(byNumber.size).toBe(4);
    for (const [who, total] of Object.entries(expected)) {
      const doc = await statement(who);
      const mail = byNumber.get(doc.number!);
      expect(mail).toBeDefined();
      expect(mail!.subject).toBe(`Payout invoice ${doc.number} from Billing E2E ${who} for October 2026: ${total} ${doc.currency}`);
      expect(mail!.headers['message-id']).toBe(messageIdFor(billingDocumentEmailKey(doc.id)));
      expect(mail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        [`${doc.number}.pdf`, 'application/pdf'],
        [`${doc.number}.csv`, 'text/csv'],
      ]);
      const pdf = await inbox.attachment(mail!.id, `${doc.number}.pdf`);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdfText(pdf)).toContain(`${total} ${doc.currency}`);
      const csv = parse((await inbox.attachment(mail!.id, `${doc.number}.csv`)).toString('utf8'), { columns: true }) as Array<Record<string, string>>;
      expect(csv.map((line) => [line.documentNumber, line.kind, line.amount]).sort()).toEqual(
        doc.lines.map((line) => [doc.number, line.kind, line.amount]).sort(),
      );
      // The lines add up to the payout, to the cent (in cents: no floats).
      expect(csv.reduce((sum, line) => sum + BigInt(line.amount.replace('.', '')), 0n)).toBe(BigInt(total.replace('.', '')));
    }
    // Client and wholesale invoices went to their billing contacts, one each.
    const invoicesTo = async (to: string) => (await caught(to)).map((m) => m.subject).filter((subject) => subject.includes('October 2026'));
    expect(await invoicesTo('c1@billing-e2e.test')).toEqual([expect.stringMatching(/^Invoice \S+ from Billing E2E r1 for October 2026: 175\.20 /)]);
    expect(await invoicesTo('r1@billing-e2e.test')).toEqual([expect.stringMatching(/^Wholesale invoice \S+ .*: 178\.00 /)]);
  });

  it('shows resellers and clients their invoices, and nobody a sibling’s', async () => {
    const invoices = async (who: string) =>
      (await h.http.get(`/invoices?period=${period}`).set(as(who)).expect(200)).body.items.map((d: BillingDocument) => [
        d.kind,
        d.issuer.id,
        d.recipient.id,
        d.totals.total,
      ]);
    const operatorId = (await h.app.get(EntityManager).fork().findOneOrFail(Party, { kind: 'operator' })).id;
    expect((await invoices('r1')).sort()).toEqual(
      [
        ['client-invoice', id.r1, id.c1, '175.20'],
        ['client-invoice', id.s1, id.c2, '44.00'],
        ['wholesale-invoice', operatorId, id.r1, '178.00'],
        ['wholesale-invoice', id.r1, id.s1, '35.20'],
      ].sort(),
    );
    // The sub-reseller sees what it buys and sells, never what its parent pays the operator.
    expect((await invoices('s1')).sort()).toEqual(
      [
        ['client-invoice', id.s1, id.c2, '44.00'],
        ['wholesale-invoice', id.r1, id.s1, '35.20'],
      ].sort(),
    );
    expect(await invoices('c1')).toEqual([['client-invoice', id.r1, id.c1, '175.20']]);
    expect(await invoices('d1')).toEqual([]);

    const c1Invoice = (await h.http.get(`/invoices?period=${period}`).set(as('c1')).expect(200)).body.items[0];
    const doc: BillingDocument = (await h.http.get(`/documents/${c1Invoice.id}`).set(as('c1')).expect(200)).body;
    expect(doc.lines.map((l) => [l.from, l.to, l.quantity, l.unitPrice, l.amount])).toEqual([
      [day(1), day(11), '4', '37.2', '48.00'],
      [day(11), day(21), '4', '37.2', '48.00'],
      [day(21), new Date(Date.UTC(2026, 10, 1)).toISOString(), '6', '37.2', '79.20'],
    ]);
    const d1Statement = (await h.http.get(`/statements?period=${period}`).set(as('d1')).expect(200)).body.items[0];
    for (const [who, documentId] of [
      ['d1', c1Invoice.id],
      ['d2', d1Statement.id],
      ['a1', d1Statement.id],
      ['s1', c1Invoice.id],
    ]) {
      expect((await h.http.get(`/documents/${documentId}`).set(as(who)).expect(404)).body.code).toBe('BILLING_DOCUMENT_NOT_FOUND');
    }
  });

  it('explains an amount down to the usage, to each party only what it may see', async () => {
    const d1 = await statement('d1');
    const commission = d1.lines.find((l) => l.kind === 'commission' && l.resellerId === id.r1)!;
    const forD1 = (await h.http.get(`/documents/${d1.id}/lines/${commission.id}/explanation`).set(as('d1')).expect(200)).body;
    // Each client at D1's blended rate 15.30 / 253.00 = 0.0604743083… (shown to 10 places; amounts from the exact fraction).
    expect(forD1.cuts.map((c: any) => [c.clientId, c.basis, c.volume, c.rate, c.amount]).sort()).toEqual(
      [
        [id.c1, '146.00', '253.00', '0.0604743083', '8.83'],
        [id.c2, '32.00', '253.00', '0.0604743083', '1.94'],
      ].sort(),
    );
    const usage = forD1.cuts.flatMap((c: any) => c.ratedLines);
    expect(usage.map((u: any) => u.wholesale.amount).sort()).toEqual(['32.00', '40.00', '40.00', '66.00']);
    // A distributor sees its clients' wholesale, never a reseller's prices or margins.
    expect(usage.every((u: any) => u.tiers.length === 0 && u.client === null && u.attribution === null)).toBe(true);
    expect(forD1.agreements.map((a: any) => a.rate)).toEqual(['0.05']);

    const c1Invoice = (await h.http.get(`/invoices?period=${period}&kind=client-invoice`).set(as('c1')).expect(200)).body.items[0];
    const invoice: BillingDocument = (await h.http.get(`/documents/${c1Invoice.id}`).set(as('c1')).expect(200)).body;
    const resized = invoice.lines[2];
    const explained = async (who: string) => (await h.http.get(`/documents/${invoice.id}/lines/${resized.id}/explanation`).set(as(who)).expect(200)).body;
    const explain = async (who: string) => (await explained(who)).usage[0];
    const forClient = await explain('c1');
    expect(forClient).toMatchObject({ seconds: String(11 * 86_400), secondsInPeriod: String(31 * 86_400), quantity: '6', proratedQuantity: '2.129032' });
    expect(forClient.events.map((e: any) => [e.transactionId, e.kind, e.quantity])).toEqual([['billing-e2e-c1-resize', 'change', '6']]);
    expect([forClient.client, forClient.wholesale, forClient.tiers]).toEqual([{ unitPrice: '37.2', amount: '79.20' }, null, []]);
    const forReseller = await explain('r1');
    expect(forReseller.tiers).toEqual([
      expect.objectContaining({ resellerId: id.r1, unitCost: '31.00', unitPrice: '37.20', costAmount: '66.00', saleAmount: '79.20', margin: '13.20' }),
    ]);
    const forOperator = await explain('operator');
    expect(forOperator.wholesale).toMatchObject({ unitPrice: '31', amount: '66.00' });
    expect(forOperator.attribution).toMatchObject({ distributorId: id.d1, agentId: id.a1, agentEligible: false });
    // The rest of the waterfall, for the operator only: the cuts on C1's month and what it keeps, 146.00 − 8.83 − 2.00 − 4.00.
    const month = (await explained('operator')).clientMonth;
    expect([month.clientId, month.wholesale, month.operatorNet]).toEqual([id.c1, '146.00', '131.17']);
    expect(month.cuts.map((c: any) => [c.kind, c.partyId, c.amount, c.operatorFunded])).toEqual([
      ['commission', id.d1, '8.83', null],
      ['fee', id.d1, '2.00', null],
      ['agent', id.a1, '4.00', '4.00'],
    ]);
    expect([(await explained('r1')).clientMonth, (await explained('c1')).clientMonth]).toEqual([null, null]);
  });
});
