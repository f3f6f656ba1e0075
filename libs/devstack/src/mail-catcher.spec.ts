import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { type RunningMailCatcher, startMailCatcher } from './mail-catcher';
import { MailInboxClient } from './mail-inbox';

describe('mail catcher (MailDev) and MailInboxClient', () => {
  // One catcher for the inbox behaviour (each test starts from an empty inbox); the restart test
  // runs its own on a kept directory.
  let catcher: RunningMailCatcher;
  let inbox: MailInboxClient;
  const log = (): void => undefined;

  beforeAll(async () => {
    catcher = await startMailCatcher({ log });
    inbox = new MailInboxClient(catcher.apiUrl);
  });

  afterAll(() => catcher?.stop());

  beforeEach(() => inbox.clear());

  async function send(smtpUrl: string, to: string, subject: string): Promise<void> {
    // Credentials as a real deployment would send them: the catcher takes the mail all the same.
    const transport = createTransport({ url: smtpUrl, auth: { user: 'app', pass: 'secret' } });
    try {
      await transport.sendMail({
        from: '"Wholesail Billing" <billing@wholesail.test>',
        to,
        bcc: 'audit@wholesail.test',
        subject,
        text: 'Your invoice INV-2026-0001 is ready.',
        html: '<p>Your invoice <strong>INV-2026-0001</strong> is ready: <a href="http://localhost:3000/i?token=a&amp;x=1">open</a></p>',
        headers: { 'X-Wholesail-Ref': 'invoice:INV-2026-0001' },
        attachments: [{ filename: 'INV-2026-0001.txt', content: 'total 12.50 EUR' }],
      });
    } finally {
      transport.close();
    }
  }

  it('catches a real SMTP message and serves it over the REST API and the web inbox', async () => {
    await send(catcher.smtpUrl, 'reseller@example.com', 'Invoice INV-2026-0001');

    const message = await inbox.waitFor((m) => m.subject === 'Invoice INV-2026-0001', 5_000);
    expect(message.from).toBe('billing@wholesail.test');
    expect(message.to).toEqual(['reseller@example.com', 'audit@wholesail.test']);
    expect(message.html).toContain('<strong>INV-2026-0001</strong>');
    expect(message.html).toContain('href="http://localhost:3000/i?token=a&amp;x=1"');
    expect(message.text).toContain('Your invoice INV-2026-0001 is ready.');
    expect(message.headers['from']).toBe('Wholesail Billing <billing@wholesail.test>');
    expect(message.headers['to']).toBe('reseller@example.com');
    expect(message.headers['x-wholesail-ref']).toBe('invoice:INV-2026-0001');
    expect(message.headers['content-type']).toMatch(/^multipart\/mixed/);
    expect(message.headers).not.toHaveProperty('bcc');
    expect(message.attachments).toEqual([{ filename: 'INV-2026-0001.txt', contentType: 'text/plain', size: 15 }]);
    expect(message.size).toBeGreaterThan(0);
    expect(Date.parse(message.date)).not.toBeNaN();

    const { id, from, to, subject, date, size } = message;
    expect(await inbox.list()).toEqual([{ id, from, to, subject, date, size }]);

    const page = await fetch(catcher.apiUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('MailDev');

    await inbox.clear();
    expect(await inbox.list()).toEqual([]);
  });

  it('waits for mail that arrives later and lists the newest first', async () => {
    await send(catcher.smtpUrl, 'a@example.com', 'first');
    const second = catcher.waitFor((m) => m.subject === 'second', 5_000);

    await send(catcher.smtpUrl, 'b@example.com', 'second');

    expect((await second).to).toContain('b@example.com');
    expect((await inbox.list()).map((m) => m.subject)).toEqual(['second', 'first']);
    await expect(inbox.waitFor((m) => m.subject === 'never', 300, 50)).rejects.toThrow(/No matching mail within 300 ms. Caught: "second" to b@example.com/);
  });

  it('keeps caught mail in its directory across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mail-catcher-'));
    let kept = await startMailCatcher({ log, mailDirectory: dir });
    try {
      await send(kept.smtpUrl, 'client@example.com', 'Welcome to Wholesail');
      const original = await kept.waitFor((m) => m.subject === 'Welcome to Wholesail', 5_000);
      await kept.stop();

      kept = await startMailCatcher({ log, mailDirectory: dir });
      // The SMTP envelope is not part of the stored message: after a restart the recipients are
      // those of the headers, so a Bcc recipient is no longer listed.
      expect(await new MailInboxClient(kept.apiUrl).get(original.id)).toEqual({ ...original, to: ['client@example.com'] });
    } finally {
      await kept.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers 404 for an unknown message', async () => {
    await expect(inbox.get('nope')).rejects.toThrow(/404/);
  });
});
