import { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, Locator } from 'playwright-core';
import { BillingWorld } from '../support/billing-world';
import { checkDialog, checkPage, launchBrowser, openFromNav, press, signedIn, typeInto } from '../support/browser';
import { startBillingHarness, type BillingHarness } from '../support/billing-harness';
import { addUser, FIXTURE_PASSWORD } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/**
 * The month-end run in a real browser, keyboard only: finance starts the run of August 2026, sees
 * it reach review, opens a draft invoice and a line's "explain this amount" (the margin waterfall:
 * what the client pays, the reseller's margin, wholesale, the distributor's and agent's cuts and
 * the operator's net), finds the task in the inbox and approves from the run's page; the run ends
 * final with numbers. Then the distributor opens its statement, and the reseller its invoices.
 * Every billing page passes axe and is saved as a screenshot in .dev/artifacts/portal/.
 *
 * On a database of its own with its own API and worker, as the billing e2e files (a run bills every
 * client of the deployment and finalises the period), for a month no other file bills: the
 * workflow ID `billing-run:<period>` is unique on the shared Temporal server. Worked by hand
 * (31 days, vCPU 31.00 a month wholesale = 1.00 per vCPU-day):
 *
 *   C1 (found by agent A): 4 vCPU all month = 124.00 wholesale; R at +20 %: 148.80 (margin 24.80)
 *   C2: 2 vCPU from 16 August, 16 d × 2 = 32.00; 38.40 (margin 6.40)
 *   D: 5 % of 156.00 = 7.80 + 2.00 per active client × 2 = 11.80      A: 10 % of C1's 124.00 = 12.40 (operator-funded)
 *   C1's month: 124.00 = D 6.20 + D's fee 2.00 + A 12.40 + operator net 103.40
 */
describe('portal: month-end billing, approved and published (browser)', () => {
  const period = '2026-08';
  const day = (n: number) => new Date(Date.UTC(2026, 7, n));
  let billing: BillingHarness;
  let h: Harness;
  let browser: Browser;
  let base: string;
  const people: Record<'distributor' | 'reseller', string> = {} as never;
  const names: Record<'c1' | 'distributor', string> = {} as never;
  let finance: string;

  beforeAll(async () => {
    billing = await startBillingHarness('portal_billing', period, { env: { BILLING_FINANCE_EMAIL: 'payables-portal@wholesail.test' } });
    h = billing.h;
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
    finance = await h.login('finance@wholesail.demo');

    const w = new BillingWorld(h.app.get(EntityManager).fork());
    const operator = await w.operator();
    const vcpu = await w.item('vcpu', '31.00', 'vCPU');
    const since = { activeSince: new Date('2026-01-01T00:00:00Z') };
    const d = await w.party('distributor', 'Portal Dist', operator);
    const a = await w.party('agent', 'Portal Agent', d);
    const r = await w.party('reseller', 'Portal Reseller', d);
    await w.assign(r, d);
    await w.agreement(d, { rate: '0.05', feePerActiveClient: '2.00' });
    await w.agreement(a, { rate: '0.10' });
    await w.priceBook(r, 'clients', '20');
    const c1 = await w.party('client', 'Portal C1', r, { ...since, foundBy: a });
    const c2 = await w.party('client', 'Portal C2', r, since);
    await w.event(c1, 'vm-1', vcpu, 'start', day(1), '4');
    await w.event(c2, 'vm-2', vcpu, 'start', day(16), '2');
    names.c1 = c1.name;
    names.distributor = d.name;
    people.distributor = await addUser(h, d.id, 'distributor-admin');
    people.reseller = await addUser(h, r.id, 'reseller-admin');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await billing?.close();
  });

  const api = async (path: string, token = finance) =>
    (
      await h.http
        .get(path)
        .set({ Authorization: `Bearer ${token}` })
        .expect(200)
    ).body;

  const signedInAs = (email: string, password: string) => signedIn(browser, base, email, password, { width: 1440, height: 1000 });

  /** The text of a definition in a `<dl>` by its term. */
  const definition = (scope: Locator, term: string) =>
    scope
      .locator('div', {
        has: scope
          .page()
          .getByRole('term')
          .filter({ hasText: new RegExp(`^${term}$`) }),
      })
      .getByRole('definition');

  const state: { runId?: string } = {};

  it('lets finance start the run, review a draft line’s margin waterfall and approve it, keyboard only', async () => {
    const page = await signedInAs('finance@wholesail.demo', 'wholesail-demo');
    await openFromNav(page, 'Billing runs');
    await page.getByText('No billing runs yet').waitFor();
    await checkPage(page, 'billing-runs-empty');

    // Start the run of August: the dialog proposes last month, finance types the period.
    await press(page, page.getByRole('button', { name: 'Start a run' }));
    const dialog = page.getByRole('dialog', { name: 'Start a billing run' });
    await dialog.waitFor();
    await typeInto(page, dialog.getByLabel('Period'), period);
    await press(page, dialog.getByRole('button', { name: 'Start', exact: true }));
    await page.getByRole('heading', { level: 1, name: `Billing run ${period}` }).waitFor({ timeout: 30_000 });

    // Progress until the drafts wait for finance: every client rated, totals and invariants shown.
    const status = definition(page.locator('main'), 'Status');
    await status.filter({ hasText: 'Awaiting approval' }).waitFor({ timeout: 120_000 });
    const run = await api(`/billing/runs/${period}`);
    state.runId = run.id;
    expect(run).toMatchObject({ status: 'awaiting-approval', totals: { clientInvoices: '187.20', wholesale: '156.00', operatorNet: '131.80' } });
    const progress = page.getByRole('table', { name: 'Progress of the run' });
    expect(await progress.getByRole('row', { name: /^Clients rated/ }).textContent()).toContain(
      `${run.progress.clientsTotal} of ${run.progress.clientsTotal} (100 %)`,
    );
    // The totals in the ledger's order, from what clients pay down to what the operator keeps.
    expect(await page.getByRole('region', { name: 'Totals' }).textContent()).toBe(
      'TotalsClient invoicesEUR 187.20Reseller marginsEUR 31.20WholesaleEUR 156.00Distributor cutsEUR 11.80Operator funded agent cutsEUR 12.40Carve outsEUR 0.00Operator netEUR 131.80',
    );
    await page.getByText('All hold').waitFor();
    await checkPage(page, 'billing-run-review');

    // A draft client invoice and its first line's "explain this amount".
    const invoices = page.getByRole('table', { name: 'Invoices of the run' });
    const row = invoices.getByRole('row').filter({ hasText: names.c1 });
    await press(page, row.getByRole('link', { name: /^Draft / }));
    await page.getByRole('heading', { level: 1, name: 'Client invoice (draft)' }).waitFor();
    const documentId = /documents\/([0-9a-f-]{36})/.exec(page.url())![1];
    const document = await api(`/documents/${documentId}`);
    expect(document).toMatchObject({ kind: 'client-invoice', status: 'draft', number: null, totals: { total: '148.80' } });
    await checkPage(page, 'billing-document-draft');
    const line = document.lines[0];
    const explanation = await api(`/documents/${documentId}/lines/${line.id}/explanation`);
    await press(page, page.getByRole('button', { name: 'Explain line 1' }));
    const explain = page.getByRole('dialog', { name: /^Explain line 1: EUR 148\.80/ });
    const waterfall = explain.getByRole('table', { name: /^Margin waterfall/ });
    await waterfall.waitFor();
    // Each step as the API explains it: the client's price, the reseller's margin, wholesale, then the month's cuts on it.
    const usage = explanation.usage[0];
    const cell = (name: RegExp) => waterfall.getByRole('row', { name }).getByRole('cell').last();
    expect(await cell(/^Client pays/).textContent()).toBe(`EUR ${usage.client.amount}`);
    expect(await cell(/margin/).textContent()).toBe(`−EUR ${usage.tiers[0].margin}`);
    expect(await cell(/^Wholesale/).textContent()).toBe(`EUR ${usage.wholesale.amount}`);
    expect([usage.client.amount, usage.tiers[0].margin, usage.wholesale.amount]).toEqual(['148.80', '24.80', '124.00']);
    const month = explanation.clientMonth;
    expect(month).toMatchObject({ wholesale: '124.00', operatorNet: '103.40' });
    const cuts = explain.getByRole('table', { name: /^Cuts on .* month/ });
    expect(
      await cuts
        .getByRole('row', { name: /^Operator net/ })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe(`EUR ${month.operatorNet}`);
    expect(
      await cuts
        .getByRole('row', { name: /^Agent cut/ })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('−EUR 12.40');
    await checkDialog(page, explain, 'billing-document-explain');
    await page.keyboard.press('Escape');
    await explain.waitFor({ state: 'detached' });
    await page.context().close();
  }, 300_000);

  it('lets finance find the run in the inbox and approve it from the run’s page; the run ends final with numbers', async () => {
    const page = await signedInAs('finance@wholesail.demo', 'wholesail-demo');
    const card = page.getByRole('list', { name: 'Approval tasks' }).getByRole('listitem').filter({ hasText: period });
    await card.waitFor({ timeout: 30_000 });
    await checkPage(page, 'inbox-billing-run');
    await press(page, card.getByRole('link', { name: /^Open billing run/ }));
    await page.getByRole('heading', { level: 1, name: `Billing run ${period}` }).waitFor();

    await press(page, page.getByRole('button', { name: 'Approve the run' }));
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.type('checked against the ledger');
    await press(page, dialog.getByRole('button', { name: 'Approve', exact: true }));
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    // The approval panel is gone: the keyboard user is left on the run's status, not the page body.
    const runStatus = page.locator('#billing-run-status');
    await waitFor(async () => ((await runStatus.evaluate((el: any) => el === el.ownerDocument.activeElement)) ? true : undefined), 10_000);

    const status = definition(page.locator('main'), 'Status');
    await status.filter({ hasText: /^(Emailing|Completed)$/ }).waitFor({ timeout: 120_000 });
    const run = await waitFor(async () => {
      const body = await api(`/billing/runs/${period}`);
      return body.progress.documentsFinal === body.progress.documentsTotal ? body : undefined;
    }, 60_000);
    expect(run.decision).toMatchObject({ decision: 'approve' });
    const progress = page.getByRole('table', { name: 'Progress of the run' });
    await progress
      .getByRole('row', { name: /^Documents final/ })
      .filter({ hasText: `${run.progress.documentsTotal} of ${run.progress.documentsTotal} (100 %)` })
      .waitFor({ timeout: 30_000 });
    // Every document has its number now, none is a draft.
    const statements = page.getByRole('table', { name: 'Statements of the run' });
    await statements
      .getByRole('row')
      .filter({ hasText: names.distributor })
      .getByRole('link', { name: /-PAY-\d+$/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByRole('link', { name: /^Draft / }).count()).toBe(0);
    await status.filter({ hasText: 'Completed' }).waitFor({ timeout: 120_000 });
    await checkPage(page, 'billing-run-final');
    await page.context().close();
  }, 300_000);

  it('lets the distributor open its statement of the month and see its lines and total, keyboard only', async () => {
    const page = await signedInAs(people.distributor, FIXTURE_PASSWORD);
    await openFromNav(page, 'Statements');
    await typeInto(page, page.getByLabel('Period'), period);
    const list = page.getByRole('table', { name: 'Statements' });
    const link = list.getByRole('link', { name: /-PAY-\d+$/ });
    await link.waitFor();
    await checkPage(page, 'statements');

    const token = await h.login(people.distributor, FIXTURE_PASSWORD);
    const listed = await api(`/statements?period=${period}`, token);
    expect(listed.meta.total).toBe(1);
    const statement = await api(`/documents/${listed.items[0].id}`, token);
    expect(statement.totals).toMatchObject({ gross: '11.80', total: '11.80' });
    await press(page, link);
    await page.getByRole('heading', { level: 1, name: `Payout invoice ${statement.number}` }).waitFor();
    const lines = page.getByRole('table', { name: 'Lines of the document' });
    expect(await lines.locator('tbody').getByRole('row').count()).toBe(statement.lines.length);
    expect(await lines.getByRole('row', { name: /^Total/ }).textContent()).toContain(`EUR ${statement.totals.total}`);
    await checkPage(page, 'statement');

    // Its commission line explained: the cut per client, the distributor never sees a reseller's margin.
    const commission = statement.lines.find((l: { kind: string }) => l.kind === 'commission');
    await press(page, page.getByRole('button', { name: `Explain line ${commission.position}` }));
    const explain = page.getByRole('dialog', { name: new RegExp(`^Explain line ${commission.position}: EUR ${commission.amount}`) });
    await explain.getByRole('table', { name: 'Cuts behind the amount, per client' }).waitFor();
    expect(await explain.textContent()).not.toMatch(/margin/i);
    await checkDialog(page, explain, 'statement-explain');
    await page.context().close();
  }, 180_000);

  it('shows the reseller its invoices of the month, final and numbered, and its margin on a line', async () => {
    const page = await signedInAs(people.reseller, FIXTURE_PASSWORD);
    await openFromNav(page, 'Invoices');
    await typeInto(page, page.getByLabel('Period'), period);
    const list = page.getByRole('table', { name: 'Invoices' });
    await list.getByRole('row').filter({ hasText: names.c1 }).getByRole('cell', { name: 'EUR 148.80' }).waitFor();
    expect(await list.locator('tbody').getByRole('row').count()).toBe(3);
    await checkPage(page, 'invoices');

    // Its invoice to C1 explained: its own margin and cost, never wholesale or anyone's cut.
    await press(
      page,
      list
        .getByRole('row')
        .filter({ hasText: names.c1 })
        .getByRole('link', { name: /-INV-\d+$/ }),
    );
    await page.getByRole('heading', { level: 1, name: /^Client invoice / }).waitFor();
    await press(page, page.getByRole('button', { name: 'Explain line 1' }));
    const explain = page.getByRole('dialog', { name: /^Explain line 1: EUR 148\.80/ });
    const waterfall = explain.getByRole('table', { name: /^Margin waterfall/ });
    await waterfall.waitFor();
    expect(await waterfall.getByRole('row').allTextContents()).toEqual([
      'Client paysEUR 148.80',
      expect.stringMatching(/^Portal Reseller .*’s margin \(sells at EUR 37\.20, buys at EUR 31\.00 a unit\)−EUR 24\.80$/),
      expect.stringMatching(/^Portal Reseller .*’s costEUR 124\.00$/),
    ]);
    expect(await explain.getByRole('table', { name: /^Cuts on/ }).count()).toBe(0);
    await checkDialog(page, explain, 'invoice-explain');
    await page.context().close();
  }, 120_000);
});
