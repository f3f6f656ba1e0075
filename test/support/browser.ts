import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { findRepoRoot } from '@wholesail/devstack';

/**
 * Debian's Chromium (installed by the test command), driven by playwright-core: no browser
 * download. The flags keep it from reaching for a network this machine does not have; launch()
 * gives every run a fresh profile.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(findRepoRoot(), '.dev', 'artifacts', 'portal');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: npm test installs it (apt-get install chromium), or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A full-page screenshot kept as an artefact (.dev/artifacts/portal/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export function recordMetric(name: string, value: unknown): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.json`), JSON.stringify(value, null, 2));
}

/** axe on the page as it is: no serious or critical violation (each is listed when one is found). */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`).join('\n  ');
  if (bad.length) throw new Error(`${name}: ${bad.length} serious or critical accessibility violation(s):\n  ${report}`);
}

/** The main page of a screen is ready, checked by axe and saved as an artefact. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await checkShown(page, page.locator('body'), page.getByRole('heading', { level: 1 }).first(), name);
}

/**
 * An open dialog is ready (its title shown, nothing loading in it), checked by axe with the page
 * behind it, and saved as an artefact: the page's h1 is hidden from the accessibility tree meanwhile.
 */
export async function checkDialog(page: Page, dialog: Locator, name: string): Promise<void> {
  await checkShown(page, dialog, dialog.getByRole('heading').first(), name);
}

async function checkShown(page: Page, scope: Locator, title: Locator, name: string): Promise<void> {
  await title.waitFor();
  await scope
    .getByRole('status')
    .filter({ hasText: /^Loading/ })
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await expectAccessible(page, name);
  await screenshot(page, name);
}

/** Signs in through the sign-in form with the keyboard, until the main navigation shows. */
export async function signIn(page: Page, email: string, password = 'wholesail-demo'): Promise<void> {
  await page.goto('/portal/login');
  await typeInto(page, page.getByLabel('E-mail'), email);
  await typeInto(page, page.getByLabel('Password'), password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** A browser context of its own for the portal at `base`, signed in as `email`. */
export async function signedIn(
  browser: Browser,
  base: string,
  email: string,
  password = 'wholesail-demo',
  viewport = { width: 1280, height: 900 },
): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, viewport });
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

/** Follows a link of the main navigation with the keyboard, until the page's h1 (`heading`) shows. */
export async function openFromNav(page: Page, link: string, heading = link): Promise<void> {
  await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }));
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Tabs to a control and presses a key on it (Enter unless told). */
export async function press(page: Page, target: Locator, key = 'Enter'): Promise<void> {
  await tabTo(page, target, { maxPresses: 150 });
  await page.keyboard.press(key);
}

/**
 * Moves keyboard focus with Tab (Shift+Tab when `backwards`) until `target` has it: the way a
 * keyboard-only user reaches a control, and proof that it can be reached.
 */
export async function tabTo(page: Page, target: Locator, options: { backwards?: boolean; maxPresses?: number } = {}): Promise<void> {
  const handle = await target.elementHandle();
  if (!handle) throw new Error(`tabTo: ${target} is not on the page`);
  for (let i = 0; i < (options.maxPresses ?? 60); i++) {
    if (await handle.evaluate((el: any) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`tabTo: ${target} was not reached with the keyboard`);
}

/** Tab to a field and type into it. */
export async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** The message shown next to a field, through its aria-describedby (read in one step: the page may re-render between two reads). */
export async function fieldError(field: Locator): Promise<string | null> {
  return field.evaluate((el: any) => {
    if (el.getAttribute('aria-invalid') !== 'true') return null;
    const ids: string[] = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return ids
      .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
      .filter(Boolean)
      .join(' ');
  });
}
