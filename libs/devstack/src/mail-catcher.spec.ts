import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { MailInboxClient, type RunningMailCatcher, startMailCatcher } from './mail-catcher';

describe('mail catcher', () => {
  let dir: string;
  let catcher: RunningMailCatcher | undefined;
  const log = (): void => undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-catcher-'));
  });

  afterEach(async () => {
    await catcher?.stop();
    catcher = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function send(smtpUrl: string, to: string, subject: string): Promise<void> {
    // Credentials as a real deployment would send them: the catcher must accept any.
    const transport = createTransport({ url: smtpUrl, auth: { user: 'app', pass: 'secret' } });
    try {
      await transport.sendMail({
        from: '"Wholesail Billing" <billing@wholesail.test>',
        to,
        bcc: 'audit@wholesail.test',
        subject,
        text: 'Your invoice INV-2026-0001 is ready.',
        html: '<p>Your invoice <strong>INV-2026-0001</strong> is ready.</p>',
      });
    } finally {
      transport.close();
    }
  }

  it('catches a real SMTP message and serves it over the HTTP API', async () => {
    catcher = await startMailCatcher({ log });
    const inbox = new MailInboxClient(catcher.apiUrl);

    await send(catcher.smtpUrl, 'reseller@example.com', 'Invoice INV-2026-0001');

    const message = await inbox.waitFor((m) => m.subject === 'Invoice INV-2026-0001', 5_000);
    expect(message.from).toBe('billing@wholesail.test');
    expect(message.to).toEqual(['reseller@example.com', 'audit@wholesail.test']);
    expect(message.html).toContain('<strong>INV-2026-0001</strong>');
    expect(message.text).toContain('Your invoice INV-2026-0001 is ready.');
    expect(message.headers['from']).toContain('Wholesail Billing');
    expect(message.size).toBeGreaterThan(0);

    const list = await inbox.list();
    expect(list).toEqual([{ id: message.id, from: message.from, to: message.to, subject: message.subject, date: message.date, size: message.size }]);
    expect(catcher.messages().map((m) => m.id)).toEqual([message.id]);

    const page = await fetch(catcher.apiUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(catcher.smtpUrl);

    await inbox.clear();
    expect(await inbox.list()).toEqual([]);
  });

  it('resolves an in-process waitFor for mail that arrives later, newest first', async () => {
    catcher = await startMailCatcher({ log });
    await send(catcher.smtpUrl, 'a@example.com', 'first');
    const second = catcher.waitFor((m) => m.subject === 'second', 5_000);

    await send(catcher.smtpUrl, 'b@example.com', 'second');

    expect((await second).to).toContain('b@example.com');
    expect(catcher.messages().map((m) => m.subject)).toEqual(['second', 'first']);
    await expect(catcher.waitFor((m) => m.subject === 'never', 50)).rejects.toThrow(/No matching mail/);
  });

  it('keeps messages in the store file across a restart', async () => {
    const storeFile = join(dir, 'mail', 'messages.json');
    catcher = await startMailCatcher({ log, storeFile });
    await send(catcher.smtpUrl, 'client@example.com', 'Welcome to Wholesail');
    const original = await catcher.waitFor((m) => m.subject === 'Welcome to Wholesail', 5_000);
    await catcher.stop();

    catcher = await startMailCatcher({ log, storeFile });
    const inbox = new MailInboxClient(catcher.apiUrl);
    const reloaded = await inbox.get(original.id);
    expect(reloaded).toEqual(original);
  });

  it('answers 404 for an unknown message', async () => {
    catcher = await startMailCatcher({ log });
    await expect(new MailInboxClient(catcher.apiUrl).get('nope')).rejects.toThrow(/404/);
  });
});
