import { MailInboxClient } from '@wholesail/devstack';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, fieldError, launchBrowser, recordMetric, screenshot, signIn, tabTo, typeInto } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { testStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * The portal in a real browser against the whole stack (API serving the built portal, worker,
 * Temporal, PostgreSQL, SMTP): an applicant applies, the operator approves from the inbox, the new
 * admin accepts the invitation and signs in. Every step is done with the keyboard alone; every
 * main page is checked with axe and saved as a screenshot in .dev/artifacts/portal/.
 */
describe('portal: applicant to signed-in partner (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  const tag = randomUUID().slice(0, 8);
  const applicant = {
    name: `Portal Reseller ${tag}`,
    contact: `Paula ${tag}`,
    email: `paula-${tag}@portal-applicant.demo`,
    taxId: `NL${parseInt(tag, 16) % 1_000_000_000}B02`,
    color: '#7c2d12',
  };
  const state: { applicationUrl?: string; applicationId?: string } = {};

  beforeAll(async () => {
    h = await startHarness({ env: { ONBOARDING_REMINDER_EVERY: '1 hour', ONBOARDING_EXPIRES_AFTER: '1 day' } });
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    return { context, page: await context.newPage() };
  }

  it('applies with the public form, keyboard only, showing the API’s field errors by the field', async () => {
    const { context, page } = await newPage();
    await page.goto('/portal/apply');
    await checkPage(page, 'apply');
    const kind = page.getByLabel('I am applying as');
    await tabTo(page, kind);
    expect(await kind.inputValue()).toBe('reseller');
    await typeInto(page, page.getByLabel('Company name'), applicant.name);
    await typeInto(page, page.getByLabel('Your name'), applicant.contact);
    await typeInto(page, page.getByLabel('Your e-mail'), 'not-an-email');
    await typeInto(page, page.getByLabel('Tax ID (VAT number)'), applicant.taxId);
    await typeInto(page, page.getByLabel('Primary colour'), applicant.color);
    await page.keyboard.press('Enter');

    // The API refuses the e-mail: the message sits by the field, which says it is invalid.
    const email = page.getByLabel('Your e-mail');
    await waitFor(async () => ((await fieldError(email)) ? true : undefined), 15_000);
    expect(await fieldError(email)).toMatch(/must be an email address/);
    await screenshot(page, 'apply-field-error');

    await typeInto(page, email, applicant.email);
    await tabTo(page, page.getByRole('button', { name: 'Submit application' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}\?token=/, { timeout: 30_000 });
    state.applicationUrl = new URL(page.url()).pathname + new URL(page.url()).search;
    state.applicationId = /applications\/([0-9a-f-]{36})/.exec(page.url())![1];

    // Live progress: the page moves on by itself to the operator's step.
    await page.getByRole('status').filter({ hasText: 'Waiting for the operator’s approval' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('list', { name: 'Onboarding progress' }).locator('[aria-current="step"]').textContent()).toContain('Operator approves');
    await checkPage(page, 'application-status');
    await context.close();
  }, 180_000);

  it('lets the operator find it in the inbox and approve it from the keyboard', async () => {
    const workflowId = `onboarding:${state.applicationId}`;
    const operatorToken = await h.login('admin@wholesail.demo');
    // The workflow opens the task; then the inbox is timed from a fresh navigation.
    await waitFor(async () => {
      const res = await h.http.get(`/approvals/tasks?workflowId=${encodeURIComponent(workflowId)}`).set('Authorization', `Bearer ${operatorToken}`);
      return res.body.items?.[0];
    });

    const { context, page } = await newPage();
    await signIn(page, 'admin@wholesail.demo');
    await page.goto('/portal/inbox');
    const list = page.getByRole('list', { name: 'Approval tasks' });
    await list.waitFor();
    const card = list.getByRole('listitem').filter({ hasText: applicant.name });
    await card.getByRole('button', { name: /^Approve/ }).focus();
    const interactiveMs = await page.evaluate(() => performance.now());
    recordMetric('inbox-interactive', { msFromNavigationStart: Math.round(interactiveMs), measuredAt: new Date().toISOString() });
    console.log(`[portal] inbox interactive ${Math.round(interactiveMs)} ms after navigation start`);
    await checkPage(page, 'inbox');

    // Filters: by kind and by deadline.
    await page.getByLabel('Kind').selectOption('partnerOnboarding');
    await page.getByLabel('Deadline').selectOption('overdue');
    await page.getByText('No task matches these filters').waitFor();
    await page.getByLabel('Deadline').selectOption('week');
    await list.waitFor();

    // Rejecting needs a reason: the workflow's refusal lands by the comment field.
    await tabTo(page, card.getByRole('button', { name: /^Reject/ }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await tabTo(page, dialog.getByRole('button', { name: 'Reject' }));
    await page.keyboard.press('Enter');
    const comment = dialog.getByLabel(/Comment/);
    await waitFor(async () => ((await fieldError(comment)) ? true : undefined), 15_000);
    expect(await fieldError(comment)).toMatch(/is required to reject/);
    await screenshot(page, 'inbox-decision-field-error');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Approve, with a comment.
    await tabTo(page, card.getByRole('button', { name: /^Approve/ }));
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type('welcome aboard'); // the comment field has focus
    await tabTo(page, dialog.getByRole('button', { name: 'Approve' }));
    await page.keyboard.press('Enter');
    await page.getByText(`Approved: Approve reseller application: ${applicant.name}`).first().waitFor({ timeout: 30_000 });
    await card.waitFor({ state: 'detached', timeout: 30_000 });

    // Who decided what.
    await tabTo(page, page.getByRole('link', { name: 'Decisions' }));
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: 'welcome aboard' }).first().waitFor();
    await checkPage(page, 'decisions');

    // The application's page follows the process to its end.
    await page.goto(`/portal/onboarding/${state.applicationId}`);
    await page
      .getByRole('status')
      .filter({ hasText: /^Active/ })
      .waitFor({ timeout: 60_000 });
    await checkPage(page, 'application-detail');
    await context.close();
  }, 240_000);

  it('welcomes the new admin: the invitation page sets the password, and the portal wears its brand', async () => {
    const mail = new MailInboxClient(testStack().mailApiUrl);
    const welcome = await mail.waitFor((m) => m.to.includes(applicant.email) && /welcome/i.test(m.subject), 60_000);
    const token = /\/portal\/invitations\/([^\s"<>/?]+)/.exec(welcome.text ?? '')![1];

    const { context, page } = await newPage();
    await page.goto(`/portal/invitations/${token}`);
    await page.getByText(applicant.email).first().waitFor();
    await checkPage(page, 'invitation');
    const password = page.getByLabel('New password');
    await typeInto(page, password, 'short');
    await typeInto(page, page.getByLabel('Repeat the password'), 'short');
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await fieldError(password)) ? true : undefined), 15_000);
    expect(await fieldError(password)).toMatch(/at least 10 characters/);

    await typeInto(page, password, 'a-long-enough-password');
    await typeInto(page, page.getByLabel('Repeat the password'), 'a-long-enough-password');
    await page.keyboard.press('Enter');
    const signInLink = page.getByRole('link', { name: `Sign in as ${applicant.email}` });
    await signInLink.waitFor();
    await tabTo(page, signInLink);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/login/);
    await typeInto(page, page.getByLabel('E-mail'), applicant.email);
    await typeInto(page, page.getByLabel('Password'), 'a-long-enough-password');
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('heading', { name: 'Approval inbox' }).waitFor();
    // Its own brand, from the application: the header wears its colour.
    await page.locator('.brand-name', { hasText: applicant.name }).waitFor();
    expect(await page.locator('.topbar').evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).backgroundColor)).toBe('rgb(124, 45, 18)');
    await screenshot(page, 'new-reseller-inbox');
    await context.close();
  }, 180_000);
});
