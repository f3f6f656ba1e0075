import type { Browser, Page } from 'playwright-core';
import { checkPage, fieldError, launchBrowser, signedIn, tabTo, typeInto } from '../support/browser';
import { createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/**
 * Every main screen of the portal, for the roles that use it: each renders its data, passes axe
 * (no serious or critical violation) and is saved as a screenshot; forms show the API's field
 * errors by the field; a reseller's brand applies at once to its users and its clients'.
 */
describe('portal screens (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
    const operator = await h.login('admin@wholesail.demo');
    const all = await h.http.get('/parties?pageSize=200').set('Authorization', `Bearer ${operator}`).expect(200);
    for (const party of all.body.items as { code: string; id: string }[]) ids[party.code] = party.id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const signedInAs = (email: string, password?: string) => signedIn(browser, base, email, password);

  /** Follows a navigation link with the keyboard, as a keyboard-only user would. */
  async function open(page: Page, link: string): Promise<void> {
    await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }));
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { level: 1, name: link === 'Approval inbox' ? 'Approval inbox' : undefined })
      .first()
      .waitFor();
  }

  it('signs in, and shows the API’s refusal by the field', async () => {
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto('/portal/');
    await page.waitForURL(/\/portal\/login/);
    await checkPage(page, 'login');
    await typeInto(page, page.getByLabel('E-mail'), 'not-an-address');
    await typeInto(page, page.getByLabel('Password'), 'x');
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await fieldError(page.getByLabel('E-mail'))) ? true : undefined), 15_000);
    expect(await fieldError(page.getByLabel('E-mail'))).toMatch(/must be an email address/);
    await typeInto(page, page.getByLabel('E-mail'), 'admin@wholesail.demo');
    await typeInto(page, page.getByLabel('Password'), 'wrong-password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'email or password is incorrect' }).waitFor();
    await context.close();
  }, 120_000);

  it('gives the operator its screens: applications, partner tree with roll-ups, a partner, clients, catalog, price books', async () => {
    const page = await signedInAs('admin@wholesail.demo');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Approval inbox',
      'Decisions',
      'Solutions',
      'Applications',
      'Partner tree',
      'Clients',
      'Catalog',
      'Price books',
      'Billing runs',
      'Hosts',
      'E-mail outbox',
      'Settings',
    ]);

    await open(page, 'Applications');
    await checkPage(page, 'applications');

    await open(page, 'Partner tree');
    const tree = page.getByRole('list', { name: 'Partner tree' });
    await tree.getByRole('link', { name: 'Northwind Distribution', exact: false }).first().waitFor();
    const toggle = tree.getByRole('button', { name: /^Open Northwind/ });
    await tabTo(page, toggle);
    await page.keyboard.press('Enter');
    await tree.getByRole('link', { name: 'Acme MSP' }).waitFor();
    expect(await page.getByRole('definition').first().textContent()).toMatch(/^\d+$/);
    await checkPage(page, 'partner-tree');

    await tabTo(page, tree.getByRole('link', { name: 'Acme MSP' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Acme MSP' }).waitFor();
    await page.getByRole('link', { name: 'Umbrella Corp' }).waitFor();
    await checkPage(page, 'partner');

    await open(page, 'Clients');
    await page.getByRole('cell', { name: 'Umbrella Corp' }).waitFor();
    await checkPage(page, 'clients');

    await open(page, 'Catalog');
    await page.getByRole('cell', { name: 'VCPU', exact: true }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Wholesale price' }).count()).toBe(1);
    await checkPage(page, 'catalog');

    // Adding an item: the API's refusal of the SKU shows by the SKU field.
    await tabTo(page, page.getByRole('button', { name: 'Add an item' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await page.keyboard.type('bad sku');
    await typeInto(page, dialog.getByLabel('Name', { exact: true }), 'Bad');
    await typeInto(page, dialog.getByLabel('Unit', { exact: true }), 'GB');
    await tabTo(page, dialog.getByRole('button', { name: 'Add item' }));
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await fieldError(dialog.getByLabel('SKU', { exact: true }))) ? true : undefined), 15_000);
    expect(await fieldError(dialog.getByLabel('SKU', { exact: true }))).toMatch(/upper-case letters/);
    await page.keyboard.press('Escape');

    await open(page, 'Price books');
    await page.getByRole('heading', { name: 'In force now' }).waitFor();
    await page.getByRole('table', { name: 'Monthly quote' }).waitFor({ timeout: 20_000 });
    await checkPage(page, 'price-books-operator');

    // The outbox names a bad recipient filter by its field.
    await open(page, 'E-mail outbox');
    await checkPage(page, 'outbox');
    await typeInto(page, page.getByLabel('Recipient'), 'nobody');
    await waitFor(async () => ((await fieldError(page.getByLabel('Recipient'))) ? true : undefined), 15_000);
    expect(await fieldError(page.getByLabel('Recipient'))).toMatch(/must be an email address/);
    await page.context().close();
  }, 180_000);

  it('gives a reseller its price book with a live margin preview, and its quote with margins', async () => {
    const page = await signedInAs('admin@acme.demo');
    await open(page, 'Catalog');
    await page.getByRole('columnheader', { name: 'Your cost' }).waitFor();
    await checkPage(page, 'catalog-reseller');

    await open(page, 'Price books');
    const editor = page.getByRole('table', { name: /Live margin preview/ });
    await editor.waitFor();
    // A rule typed in is priced at once with the domain's own arithmetic; a bad value says why by the input.
    const rule = page.getByLabel('Rule for VCPU');
    await tabTo(page, rule);
    await rule.selectOption('discount');
    const value = page.getByLabel('Discount value for VCPU');
    await typeInto(page, value, '150');
    expect(await fieldError(value)).toBe('must be between 0 and 100');
    await typeInto(page, value, '100');
    // Other test files add items to the shared catalog: the seeded VCPU row by its full name.
    const row = editor.getByRole('row', { name: /^VCPU Virtual CPU/ });
    await row.getByText('Below cost').waitFor();
    await typeInto(page, value, '10');
    await waitFor(async () => ((await row.getByText('Below cost').count()) === 0 ? true : undefined), 5_000);
    expect(await row.textContent()).toMatch(/EUR [\d.,]+ \(\d+\.\d %\)/);
    // The quote shows the reseller's own cost and margin per line.
    await page.getByRole('columnheader', { name: 'Your margin' }).waitFor({ timeout: 20_000 });
    await checkPage(page, 'price-books-reseller');
    await page.context().close();
  }, 180_000);

  it('applies a reseller’s new brand at once, to its users and its clients’ users', async () => {
    const reseller = await createPartner(h, { kind: 'reseller', parentId: ids['operator'], role: 'reseller-admin', name: `Brandable ${Date.now()}` });
    const client = await createPartner(h, { kind: 'client', parentId: reseller.party.id, role: 'client-user' });
    const page = await signedInAs(reseller.adminEmail, FIXTURE_PASSWORD);
    await open(page, 'Settings');
    const primary = page.getByLabel('Primary colour');
    await typeInto(page, primary, 'green');
    await tabTo(page, page.getByRole('button', { name: 'Save settings' }));
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await fieldError(primary)) ? true : undefined), 15_000);
    expect(await fieldError(primary)).toMatch(/must be a colour like #0b5cab/);

    await typeInto(page, primary, '#14532d');
    await typeInto(page, page.getByLabel('Accent colour'), '#f59e0b');
    await tabTo(page, page.getByRole('button', { name: 'Save settings' }));
    await page.keyboard.press('Enter');
    const topbar = page.locator('.topbar');
    const background = () => topbar.evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).backgroundColor as string);
    await waitFor(async () => ((await background()) === 'rgb(20, 83, 45)' ? true : undefined), 15_000);
    await checkPage(page, 'settings');

    // A light brand colour is darkened where text sits on it, so the page stays readable (axe).
    await typeInto(page, primary, '#fde047');
    await tabTo(page, page.getByRole('button', { name: 'Save settings' }));
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await background()) !== 'rgb(20, 83, 45)' ? true : undefined), 15_000);
    await checkPage(page, 'settings-light-brand');
    await page.context().close();

    const clientPage = await signedInAs(client.adminEmail, FIXTURE_PASSWORD);
    await clientPage.locator('.brand-name', { hasText: reseller.party.name }).waitFor();
    expect(await clientPage.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Approval inbox', 'Solutions', 'Invoices']);
    await clientPage.getByText('Nothing waits for you').waitFor();
    await checkPage(clientPage, 'client-inbox');
    await clientPage.context().close();
  }, 180_000);
  it('gives billing its screens: runs (operator), statements (distributor, agent), invoices (reseller), each refusing a bad period by the field', async () => {
    const finance = await signedInAs('finance@wholesail.demo');
    await open(finance, 'Billing runs');
    await finance.getByRole('button', { name: 'Start a run' }).waitFor();
    await finance.locator('.state--empty, table').first().waitFor();
    await checkPage(finance, 'billing-runs');
    // Starting a run of a month that does not exist: the API's refusal shows by the Period field, nothing starts.
    await tabTo(finance, finance.getByRole('button', { name: 'Start a run' }));
    await finance.keyboard.press('Enter');
    const dialog = finance.getByRole('dialog');
    await typeInto(finance, dialog.getByLabel('Period', { exact: true }), '2026-13');
    await tabTo(finance, dialog.getByRole('button', { name: 'Start', exact: true }));
    await finance.keyboard.press('Enter');
    await waitFor(async () => ((await fieldError(dialog.getByLabel('Period', { exact: true }))) ? true : undefined), 15_000);
    expect(await fieldError(dialog.getByLabel('Period', { exact: true }))).toMatch(/must be a month/);
    await finance.keyboard.press('Escape');
    await finance.context().close();

    for (const [email, link, shot] of [
      ['admin@northwind.demo', 'Statements', 'statements-distributor'],
      ['alice@northwind.demo', 'Statements', 'statements-agent'],
      ['admin@acme.demo', 'Invoices', 'invoices-reseller'],
    ] as const) {
      const page = await signedInAs(email);
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Billing runs' }).count()).toBe(0);
      await open(page, link);
      await page.locator('.state--empty, table').first().waitFor();
      await checkPage(page, shot);
      await typeInto(page, page.getByLabel('Period'), '2026-1');
      await waitFor(async () => ((await fieldError(page.getByLabel('Period'))) ? true : undefined), 15_000);
      expect(await fieldError(page.getByLabel('Period'))).toMatch(/must be a month/);
      await page.context().close();
    }
  }, 240_000);
});
