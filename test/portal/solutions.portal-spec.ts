import { randomUUID } from 'node:crypto';
import type { Browser, Locator } from 'playwright-core';
import { checkPage, fieldError, launchBrowser, openFromNav, press, screenshot, signedIn, tabTo, typeInto } from '../support/browser';
import { addUser, createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/**
 * The solution designer and the approval around it, in a real browser against the whole stack: an
 * architect draws two VMs on one network with the keyboard alone (live validation by the fields,
 * live quote), saves and submits; the client accepts and the operator approves from their inboxes;
 * the client sees its solution's network map. The operator's hosts page shows capacity. Every
 * main page passes axe and is saved as a screenshot in .dev/artifacts/portal/.
 *
 * A reseller, client and users of their own (never rows below a seeded party); the reseller's
 * policy sends every design above 2 vCPUs to the operator, so the operator's step is exercised.
 */
describe('portal: solution designer to approved solution (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  const tag = randomUUID().slice(0, 8);
  const solutionName = `Web shop ${tag}`;
  const people: Record<'architect' | 'client', string> = {} as never;
  const state: { solutionId?: string; clientName?: string } = {};

  beforeAll(async () => {
    h = await startHarness();
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
    const operator = await h.login('admin@wholesail.demo');
    const asOperator = { Authorization: `Bearer ${operator}` };
    const parties = await h.http.get('/parties?pageSize=200').set(asOperator).expect(200);
    const operatorParty = (parties.body.items as { code: string; id: string }[]).find((p) => p.code === 'operator')!;

    const reseller = await createPartner(h, { kind: 'reseller', parentId: operatorParty.id, role: 'reseller-admin', name: `Designs Reseller ${tag}` });
    people.architect = await addUser(h, reseller.party.id, 'architect', `architect-${tag}`);
    state.clientName = `Designs Client ${tag}`;
    const client = await createPartner(h, { kind: 'client', parentId: reseller.party.id, role: 'client-user', name: state.clientName });
    people.client = client.adminEmail;

    // The reseller sells to its clients at cost + 20 %; above 2 vCPUs the operator approves too.
    const resellerToken = await h.login(reseller.adminEmail, FIXTURE_PASSWORD);
    await h.http
      .post('/price-books')
      .set({ Authorization: `Bearer ${resellerToken}` })
      .send({ audience: 'clients', defaultUpliftPercent: '20' })
      .expect(201);
    await h.http
      .patch(`/solution-policies/${reseller.party.id}`)
      .set(asOperator)
      .send({ operatorApproval: { mode: 'any', vcpusAbove: 2, monthlyTotalAbove: null } })
      .expect(200);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const signedInAs = (email: string, password: string) => signedIn(browser, base, email, password, { width: 1440, height: 1000 });

  async function errorBy(field: Locator, pattern: RegExp): Promise<void> {
    await waitFor(async () => (pattern.test((await fieldError(field)) ?? '') ? true : undefined), 20_000);
  }

  it('lets an architect draw two VMs on one network with the keyboard, see problems by the fields and the live quote, and submit', async () => {
    const page = await signedInAs(people.architect, FIXTURE_PASSWORD);
    await openFromNav(page, 'Solutions');
    await page.getByText('No solutions yet').waitFor();
    await checkPage(page, 'solutions-empty');

    // A new solution: the API's refusal of a missing client shows by the field.
    await press(page, page.getByRole('button', { name: 'New solution' }));
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await press(page, dialog.getByRole('button', { name: 'Create and open the designer' }));
    const clientField = dialog.getByLabel('Client');
    await errorBy(clientField, /must be a UUID/);
    await screenshot(page, 'solution-new-field-error');
    await tabTo(page, clientField);
    await page.keyboard.press('ArrowDown');
    expect(await clientField.locator('option:checked').textContent()).toBe(state.clientName);
    await typeInto(page, dialog.getByLabel('Solution name'), solutionName);
    await press(page, dialog.getByRole('button', { name: 'Create and open the designer' }));
    await page.getByRole('heading', { level: 1, name: `Design: ${solutionName}` }).waitFor({ timeout: 30_000 });
    state.solutionId = /solutions\/([0-9a-f-]{36})\/design/.exec(page.url())![1];

    // Two VMs from the palette; the side panel takes the focus for each new one.
    const panel = page.locator('.designer-panel');
    const addVm = page.getByRole('button', { name: 'Add VM (Linux VM template)' });
    await press(page, addVm);
    await panel.getByRole('heading', { name: 'VM: VM 1' }).waitFor();
    expect(await panel.getByLabel('Name').evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);

    // Live validation: the problem the API names sits by the field it names.
    const vcpus = panel.getByLabel('vCPUs');
    await typeInto(page, vcpus, '64');
    await errorBy(vcpus, /64 is more than the 32 vCPUs/);
    await page.getByRole('group', { name: /^VM VM 1, .*problems?$/ }).waitFor();
    await screenshot(page, 'designer-field-error');
    await typeInto(page, vcpus, '2');
    await waitFor(async () => ((await fieldError(vcpus)) === null ? true : undefined), 20_000);
    await page.getByRole('status').filter({ hasText: '1 problem to solve before submitting.' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('list', { name: 'Problems' }).textContent()).toMatch(/Networks.*is empty: connect the VM to at least one network/);

    await press(page, addVm);
    await panel.getByRole('heading', { name: 'VM: VM 2' }).waitFor();
    await press(page, page.getByRole('button', { name: 'Add Network' }));
    await panel.getByRole('heading', { name: 'Network: Network 1' }).waitFor();
    expect(await panel.getByLabel('CIDR').inputValue()).toBe('10.0.1.0/24');

    // Connecting from the keyboard: the network's VMs as checkboxes; the canvas draws the links.
    await press(page, panel.getByRole('checkbox', { name: 'VM 1' }), 'Space');
    await press(page, panel.getByRole('checkbox', { name: 'VM 2' }), 'Space');
    await waitFor(async () => ((await page.locator('.react-flow__edge').count()) === 2 ? true : undefined), 10_000);
    await page.getByRole('status').filter({ hasText: 'No problems: this design can be submitted.' }).waitFor({ timeout: 20_000 });
    const total = page.locator('.quote-total');
    await waitFor(
      async () => (/EUR\s?[\d.,]+ a month for the client · your margin EUR\s?[\d.,]+/.test((await total.textContent()) ?? '') ? true : undefined),
      20_000,
    );

    // The canvas itself: each node is reached with Tab and selected with Enter.
    const vm2 = page.getByRole('group', { name: /^VM VM 2, VM-LINUX, 2 vCPUs, 4 GB RAM, 40 GB disk, on Network 1$/ });
    await press(page, vm2);
    await panel.getByRole('heading', { name: 'VM: VM 2' }).waitFor();

    // With the mouse: a public IP dragged from the palette onto the canvas goes to the selected VM.
    await page.getByRole('button', { name: 'Add Public IP' }).dragTo(page.locator('.designer-canvas .react-flow__pane'), { targetPosition: { x: 120, y: 60 } });
    await page.getByRole('group', { name: /^public IP .*, mapped to VM 2/ }).waitFor();
    await waitFor(async () => ((await page.locator('.react-flow__edge').count()) === 3 ? true : undefined), 10_000);
    await page.getByRole('status').filter({ hasText: 'No problems: this design can be submitted.' }).waitFor({ timeout: 20_000 });
    await page.getByRole('definition').filter({ hasText: /^1$/ }).first().waitFor();
    await checkPage(page, 'designer');

    // Save and submit at once.
    await press(page, page.getByRole('button', { name: 'Save version…' }));
    const save = page.getByRole('dialog', { name: 'Save a new version' });
    await save.waitFor();
    await page.keyboard.type('two web servers on one LAN'); // the note has the focus
    expect(await save.getByRole('checkbox', { name: 'Submit it for approval now' }).isChecked()).toBe(true);
    await press(page, save.getByRole('button', { name: 'Save and submit' }));
    await page.getByRole('heading', { level: 1, name: solutionName }).waitFor({ timeout: 30_000 });
    await page
      .getByRole('status')
      .filter({ hasText: /^Waiting for the client to accept/ })
      .waitFor({ timeout: 60_000 });
    const map = page.getByRole('img', { name: /VM 1|Network 1/ }).first();
    await map.waitFor();
    await checkPage(page, 'solution-submitted');
    await page.context().close();
  }, 300_000);

  it('lets the client accept and the operator approve from their inboxes, keyboard only', async () => {
    const title = `Accept the solution design ${solutionName} (version 1)`;
    const client = await signedInAs(people.client, FIXTURE_PASSWORD);
    const clientCard = client.getByRole('list', { name: 'Approval tasks' }).getByRole('listitem').filter({ hasText: title });
    await clientCard.waitFor({ timeout: 60_000 });
    await checkPage(client, 'client-inbox-solution');
    await press(client, clientCard.getByRole('button', { name: /^Approve/ }));
    const clientDialog = client.getByRole('dialog');
    await clientDialog.waitFor();
    await press(client, clientDialog.getByRole('button', { name: 'Approve' }));
    await clientCard.waitFor({ state: 'detached', timeout: 30_000 });

    const operator = await signedInAs('admin@wholesail.demo', 'wholesail-demo');
    const operatorCard = operator.getByRole('list', { name: 'Approval tasks' }).getByRole('listitem').filter({ hasText: solutionName });
    await operatorCard.waitFor({ timeout: 60_000 });
    await operator.getByLabel('Kind').selectOption('solutionApproval');
    await operatorCard.waitFor();
    await checkPage(operator, 'inbox-solution');

    // Request changes needs a comment: the refusal sits by the comment field; then approve.
    await press(operator, operatorCard.getByRole('button', { name: /^Request changes/ }));
    const dialog = operator.getByRole('dialog');
    await dialog.waitFor();
    await press(operator, dialog.getByRole('button', { name: 'Request changes' }));
    const comment = dialog.getByLabel(/Comment/);
    await errorBy(comment, /is required/);
    await operator.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await press(operator, operatorCard.getByRole('button', { name: /^Approve/ }));
    await dialog.waitFor();
    await operator.keyboard.type('capacity is there');
    await press(operator, dialog.getByRole('button', { name: 'Approve' }));
    await operatorCard.waitFor({ state: 'detached', timeout: 30_000 });

    // The solution's page: approved, with who decided what.
    await operator.goto(`/portal/solutions/${state.solutionId}`);
    await operator.getByRole('status').filter({ hasText: 'Approved: version 1 is what will be built.' }).waitFor({ timeout: 60_000 });
    await operator.getByText(/capacity is there/).waitFor();
    await checkPage(operator, 'solution-approved');
    await operator.context().close();

    // The client's page of it: the environment approval started, with its resources (or, before the first step, none yet).
    await client.goto(`/portal/solutions/${state.solutionId}`);
    const environment = client.getByRole('region', { name: /^Environment/ });
    await environment
      .getByRole('table', { name: 'Resources of the environment' })
      .or(environment.getByText('Not provisioned yet'))
      .waitFor({ timeout: 30_000 });
    await checkPage(client, 'client-solution-environment');

    // The client sees its solution as a network map.
    await openFromNav(client, 'Solutions');
    const card = client.getByRole('list', { name: 'Solutions' }).getByRole('listitem').filter({ hasText: solutionName });
    await card.getByText('Approved').first().waitFor({ timeout: 30_000 });
    await card.getByRole('img').waitFor();
    await checkPage(client, 'client-solutions');
    await client.context().close();
  }, 300_000);

  it('shows the operator its hosts with their capacity, and the API’s refusal by the field', async () => {
    const page = await signedInAs('admin@wholesail.demo', 'wholesail-demo');
    await openFromNav(page, 'Hosts');
    await press(page, page.getByRole('button', { name: 'Register a host' }));
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await typeInto(page, dialog.getByLabel('Name', { exact: true }), `portal-${tag}`);
    await tabTo(page, dialog.getByLabel('Kind'));
    await page.keyboard.press('ArrowDown');
    expect(await dialog.getByLabel('Kind').inputValue()).toBe('libvirt');
    await typeInto(page, dialog.getByLabel('vCPUs'), 'lots');
    await typeInto(page, dialog.getByLabel('RAM (GB)'), '64');
    await typeInto(page, dialog.getByLabel('Storage (GB)'), '500');
    await typeInto(page, dialog.getByLabel('Connection URI'), 'test:///default');
    // Maintenance: placement never reserves on it, so other tests' provisioning is not drawn here.
    await tabTo(page, dialog.getByLabel('Status'));
    await page.keyboard.press('ArrowDown');
    await press(page, dialog.getByRole('button', { name: 'Register host' }));
    const vcpu = dialog.getByLabel('vCPUs');
    await errorBy(vcpu, /must (be an integer|not be greater than)/);
    await screenshot(page, 'hosts-field-error');

    await typeInto(page, vcpu, '16');
    await press(page, dialog.getByRole('button', { name: 'Register host' }));
    await dialog.waitFor({ state: 'detached', timeout: 20_000 });
    const card = page
      .getByRole('list', { name: 'Hosts' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: new RegExp(`^portal-${tag}`) }) });
    await card.waitFor();
    const capacity = card.getByRole('table', { name: `Capacity of portal-${tag}` });
    expect(await capacity.getByRole('row', { name: /^vCPU/ }).textContent()).toMatch(/0 of 16 reserved \(0 %\)16$/);
    expect(await capacity.getByRole('row', { name: /^RAM/ }).textContent()).toMatch(/0 GB of 64 GB reserved \(0 %\)64 GB$/);
    expect(await card.textContent()).toContain('Maintenance');
    await checkPage(page, 'hosts');
    await page.context().close();
  }, 180_000);
});
