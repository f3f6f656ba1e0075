import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { checkPage, fieldError, launchBrowser, tabTo, typeInto } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/**
 * The applicant's page from the e-mailed link: corrections after the operator asks for changes,
 * and withdrawing with a reason — keyboard only, against the running onboarding workflow.
 */
describe('portal: the applicant’s own page (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let operator: string;
  const auth = () => ({ Authorization: `Bearer ${operator}` });

  beforeAll(async () => {
    h = await startHarness({ env: { ONBOARDING_REMINDER_EVERY: '1 hour', ONBOARDING_EXPIRES_AFTER: '1 day' } });
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
    operator = await h.login('admin@wholesail.demo');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function apply(): Promise<{ id: string; token: string; workflowId: string; name: string }> {
    const tag = randomUUID().slice(0, 8);
    const name = `Applicant Page ${tag}`;
    const { body } = await h.http
      .post('/applications')
      .send({
        kind: 'distributor',
        name,
        contactName: `Ann ${tag}`,
        email: `ann-${tag}@applicant-page.demo`,
        taxId: `NL${parseInt(tag, 16) % 1_000_000_000}B04`,
      })
      .expect(202);
    return { id: body.applicationId, token: body.applicantToken, workflowId: body.workflowId, name };
  }

  async function operatorTask(workflowId: string): Promise<{ id: string }> {
    return waitFor(async () => (await h.http.get(`/approvals/tasks?workflowId=${encodeURIComponent(workflowId)}`).set(auth())).body.items?.[0]);
  }

  async function openOwnPage(app: { id: string; token: string }): Promise<Page> {
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto(`/portal/applications/${app.id}?token=${encodeURIComponent(app.token)}`);
    return page;
  }

  it('sends corrections when the operator asks for changes', async () => {
    const app = await apply();
    const task = await operatorTask(app.workflowId);
    await h.http
      .post(`/approvals/tasks/${encodeURIComponent(task.id)}/decisions`)
      .set(auth())
      .send({ decision: 'request-changes', comment: 'use your legal name' })
      .expect(200);

    const page = await openOwnPage(app);
    await page.getByRole('heading', { name: 'Send corrections' }).waitFor({ timeout: 30_000 });
    await checkPage(page, 'application-changes-requested');
    // A change the API refuses shows by its field.
    const email = page.getByLabel('Your e-mail');
    await typeInto(page, email, 'not-an-email');
    await tabTo(page, page.getByRole('button', { name: 'Send corrections' }));
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await fieldError(email)) ? true : undefined), 15_000);
    expect(await fieldError(email)).toMatch(/must be an email address/);

    await typeInto(page, email, `fixed-${app.id.slice(0, 8)}@applicant-page.demo`);
    await typeInto(page, page.getByLabel('Company name'), `${app.name} B.V.`);
    await typeInto(page, page.getByLabel('Note for the approvers'), 'legal name now');
    await tabTo(page, page.getByRole('button', { name: 'Send corrections' }));
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Waiting for the operator’s approval' }).waitFor({ timeout: 30_000 });
    const again = await h.http.get(`/applications/${app.id}`).set('X-Applicant-Token', app.token).expect(200);
    expect(again.body).toMatchObject({ name: `${app.name} B.V.`, round: 2 });
    await page.context().close();
  }, 180_000);

  it('withdraws with a reason', async () => {
    const app = await apply();
    await operatorTask(app.workflowId);
    const page = await openOwnPage(app);
    const start = page.getByRole('button', { name: 'Withdraw my application…' });
    await start.waitFor({ timeout: 30_000 });
    await tabTo(page, start);
    await page.keyboard.press('Enter');
    await page.keyboard.type('found another supplier'); // the reason field has focus
    await tabTo(page, page.getByRole('button', { name: 'Withdraw', exact: true }));
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /^Withdrawn/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Withdraw my application…' }).count()).toBe(0);
    await checkPage(page, 'application-withdrawn');
    await page.context().close();
  }, 180_000);
});
