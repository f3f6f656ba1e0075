import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type RunningMailCatcher, startMailCatcher } from '../../devstack/src/mail-catcher';
import { MailInboxClient } from '../../devstack/src/mail-inbox';
import { MailRenderer } from './mail-renderer';
import { classifySendError, MailSender, messageIdFor, type MailSenderOptions } from './mail-sender';
import { MAIL_TEMPLATE_SAMPLES } from './mail-template.samples';
import { MailErrorCode, MailSendError } from './mail.errors';

const log = (): void => undefined;
const FROM = 'Wholesail <no-reply@wholesail.test>';

async function sendError(promise: Promise<unknown>): Promise<MailSendError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MailSendError);
    return error as MailSendError;
  }
  throw new Error('expected the send to fail');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const mail = { subject: 'Hello', html: '<p>Hello</p>', text: 'Hello' };

describe('MailSender', () => {
  const renderer = new MailRenderer({ publicUrl: 'http://localhost:3000' });
  const senders: MailSender[] = [];
  const sender = (options: Partial<MailSenderOptions> & { smtpUrl: string }): MailSender => {
    const created = new MailSender({ defaultFrom: FROM, ...options });
    senders.push(created);
    return created;
  };

  afterEach(() => {
    for (const created of senders.splice(0)) created.close();
  });

  describe('through a real SMTP server (the mail catcher)', () => {
    let catcher: RunningMailCatcher;
    let inbox: MailInboxClient;

    beforeAll(async () => {
      catcher = await startMailCatcher({ log });
      inbox = new MailInboxClient(catcher.apiUrl);
    });

    afterAll(() => catcher.stop());

    it('delivers a rendered welcome mail with both parts, the branded sender and a stable Message-ID', async () => {
      const rendered = renderer.render('welcome', MAIL_TEMPLATE_SAMPLES.welcome, { displayName: 'Acme Cloud', primaryColor: '#7c3aed' });
      const messageId = messageIdFor('onboarding:app-1:welcome');
      const smtp = sender({ smtpUrl: catcher.smtpUrl });

      const sent = await smtp.send({ to: 'Dana Whitfield <dana@acme.example>', from: smtp.fromFor('Acme Cloud'), ...rendered, messageId });

      expect(sent).toEqual({ messageId, accepted: ['dana@acme.example'], rejected: [], response: expect.stringMatching(/^250 /) });
      const caught = await inbox.waitFor((message) => message.headers['message-id'] === messageId, 5_000);
      expect(caught.subject).toBe('Welcome to Acme Cloud, Acme Cloud Services B.V.');
      expect(caught.to).toEqual(['dana@acme.example']);
      expect(caught.from).toBe('no-reply@wholesail.test');
      expect(caught.headers['from']).toBe('Acme Cloud <no-reply@wholesail.test>');
      expect(caught.headers['to']).toBe('Dana Whitfield <dana@acme.example>');
      expect(caught.headers['content-type']).toMatch(/^multipart\/alternative/);
      expect(caught.html).toBe(rendered.html);
      expect(caught.html).toContain('href="http://localhost:3000/invitations/accept?token&#x3D;3q2-7w_x9&amp;source&#x3D;mail"');
      expect(caught.text?.trim()).toBe(rendered.text.trim());
      expect(caught.text).toContain('Set your password:\nhttp://localhost:3000/invitations/accept?token=3q2-7w_x9&source=mail');
    });

    it('sends cc, reply-to and extra headers, and uses MAIL_FROM when no sender is given', async () => {
      const sent = await sender({ smtpUrl: catcher.smtpUrl }).send({
        to: ['billing@reseller.example', 'finance@reseller.example'],
        cc: 'audit@wholesail.test',
        replyTo: 'Finance <finance@wholesail.test>',
        headers: { 'X-Wholesail-Ref': 'invoice:INV-2026-0001' },
        ...mail,
        subject: 'Invoice INV-2026-0001',
      });

      expect(sent.accepted).toEqual(['billing@reseller.example', 'finance@reseller.example', 'audit@wholesail.test']);
      expect(sent.messageId).toMatch(/^<.+@.+>$/);
      const caught = await inbox.waitFor((message) => message.subject === 'Invoice INV-2026-0001', 5_000);
      expect(caught.to).toEqual(['billing@reseller.example', 'finance@reseller.example', 'audit@wholesail.test']);
      expect(caught.headers['cc']).toBe('audit@wholesail.test');
      expect(caught.headers['reply-to']).toBe('Finance <finance@wholesail.test>');
      expect(caught.headers['x-wholesail-ref']).toBe('invoice:INV-2026-0001');
      expect(caught.headers['from']).toBe('Wholesail <no-reply@wholesail.test>');
      expect(caught.headers['message-id']).toBe(sent.messageId);
    });

    it('logs in with the credentials in the URL (percent-decoded)', async () => {
      const withCredentials = catcher.smtpUrl.replace('smtp://', 'smtp://app%40wholesail:s%3Acret@');
      await expect(sender({ smtpUrl: withCredentials }).verify()).resolves.toBeUndefined();
      await sender({ smtpUrl: withCredentials }).send({ to: 'auth@example.com', ...mail, subject: 'Authenticated' });
      await inbox.waitFor((message) => message.subject === 'Authenticated', 5_000);
    });

    it('verifies a reachable server', async () => {
      await expect(sender({ smtpUrl: catcher.smtpUrl }).verify()).resolves.toBeUndefined();
    });

    it('rejects a malformed address as permanent, before connecting', async () => {
      for (const to of ['not-an-address', 'two@example.com, three@example.com', '']) {
        const error = await sendError(sender({ smtpUrl: catcher.smtpUrl }).send({ to, ...mail }));
        expect(error).toMatchObject({ code: MailErrorCode.InvalidAddress, permanent: true });
      }
      expect(await sendError(sender({ smtpUrl: catcher.smtpUrl }).send({ to: [], ...mail }))).toMatchObject({
        code: MailErrorCode.InvalidAddress,
        permanent: true,
      });
    });
  });

  describe('failures', () => {
    it('is transient when nothing listens on the port (connection refused)', async () => {
      const smtp = sender({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}` });
      const error = await sendError(smtp.send({ to: 'dana@acme.example', ...mail }));
      expect(error).toMatchObject({ code: MailErrorCode.Connection, permanent: false });
      expect(error.message).toContain('ECONNREFUSED');
      expect(await sendError(smtp.verify())).toMatchObject({ code: MailErrorCode.Connection, permanent: false });
    });

    it('is transient when the server never greets (timeout)', async () => {
      const sockets: Socket[] = [];
      const silent = createServer((socket) => sockets.push(socket));
      const port = await listen(silent);
      try {
        const error = await sendError(sender({ smtpUrl: `smtp://127.0.0.1:${port}`, greetingTimeoutMs: 200 }).send({ to: 'dana@acme.example', ...mail }));
        expect(error).toMatchObject({ code: MailErrorCode.Timeout, permanent: false });
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });

    describe('against a server that answers like a real one', () => {
      let server: SMTPServer;
      let smtpUrl: string;

      beforeAll(async () => {
        server = new SMTPServer({
          authOptional: true,
          disabledCommands: ['STARTTLS'],
          logger: false,
          onRcptTo: (address, _session, callback) => {
            const reply = (responseCode: number, message: string): void => callback(Object.assign(new Error(message), { responseCode }));
            if (address.address.startsWith('gone@')) reply(550, '5.1.1 Mailbox unavailable');
            else if (address.address.startsWith('busy@')) reply(451, '4.3.0 Try again later');
            else callback();
          },
          onData: (stream, _session, callback) => {
            stream.resume();
            stream.on('end', () => callback());
          },
        });
        smtpUrl = `smtp://127.0.0.1:${await listen(server.server)}`;
      });

      afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

      it('is permanent on 550 mailbox unavailable, with the server’s reply', async () => {
        const error = await sendError(sender({ smtpUrl }).send({ to: 'gone@example.com', ...mail }));
        expect(error).toMatchObject({ code: MailErrorCode.Rejected, permanent: true, responseCode: 550 });
        expect(error.smtpResponse).toBe('550 5.1.1 Mailbox unavailable');
        expect(error.details).toMatchObject({ command: 'RCPT TO', rejected: ['gone@example.com'] });
      });

      it('is transient on 451 try again later', async () => {
        const error = await sendError(sender({ smtpUrl }).send({ to: 'busy@example.com', ...mail }));
        expect(error).toMatchObject({ code: MailErrorCode.Deferred, permanent: false, responseCode: 451 });
      });

      it('reports recipients refused while others were accepted', async () => {
        const sent = await sender({ smtpUrl }).send({ to: ['ok@example.com', 'gone@example.com'], ...mail });
        expect(sent.accepted).toEqual(['ok@example.com']);
        expect(sent.rejected).toEqual(['gone@example.com']);
      });
    });
  });

  describe('classifySendError', () => {
    it.each([
      [{ code: 'EENVELOPE', responseCode: 553, response: '553 5.1.3 Bad address' }, MailErrorCode.InvalidAddress, true],
      [{ code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 Spam' }, MailErrorCode.Rejected, true],
      [{ code: 'EPROTOCOL', responseCode: 503, response: '503 Bad sequence' }, MailErrorCode.SendFailed, false],
      [{ code: 'EAUTH', responseCode: 535, response: '535 Authentication failed' }, MailErrorCode.Auth, false],
      [{ code: 'ECONNECTION', responseCode: 421, response: '421 Closing' }, MailErrorCode.Deferred, false],
      [{ code: 'ESOCKET', originalCode: 'ECONNRESET' }, MailErrorCode.Connection, false],
      [{ code: 'EDNS' }, MailErrorCode.Connection, false],
      [{ code: 'ETIMEDOUT' }, MailErrorCode.Timeout, false],
      [{ code: 'EENVELOPE', message: 'No recipients defined' }, MailErrorCode.InvalidAddress, true],
      [new Error('something odd'), MailErrorCode.SendFailed, false],
    ])('%j → %s (permanent: %s)', (failure, code, permanent) => {
      const error = classifySendError(Object.assign(failure instanceof Error ? failure : new Error('failed'), failure));
      expect(error).toMatchObject({ code, permanent });
    });
  });

  describe('messageIdFor', () => {
    it('derives a stable, valid Message-ID from the idempotency key, distinct per key', () => {
      expect(messageIdFor('onboarding:app-1:welcome')).toBe('<onboarding%3Aapp-1%3Awelcome@wholesail>');
      expect(messageIdFor('onboarding:app-1:welcome')).toBe(messageIdFor('onboarding:app-1:welcome'));
      expect(messageIdFor('a.b (c)')).toBe('<a%2Eb%20%28c%29@wholesail>');
      expect(messageIdFor('a:b')).not.toBe(messageIdFor('a%3Ab'));
      expect(messageIdFor('billing-run:2026-10:invoice:7', 'mail.wholesail.example')).toBe('<billing-run%3A2026-10%3Ainvoice%3A7@mail.wholesail.example>');
    });
  });

  it('uses the MAIL_FROM address under a branded display name', () => {
    const smtp = sender({ smtpUrl: 'smtp://127.0.0.1:1025' });
    expect(smtp.fromFor('Acme "Cloud"\r\nBcc: x@evil.example')).toEqual({ name: 'Acme "Cloud" Bcc: x@evil.example', address: 'no-reply@wholesail.test' });
    expect(smtp.fromFor(null)).toEqual({ name: 'Wholesail', address: 'no-reply@wholesail.test' });
  });

  it('refuses a configuration it cannot use', () => {
    expect(() => new MailSender({ smtpUrl: 'http://mail.example', defaultFrom: FROM })).toThrow('must use smtp: or smtps:');
    expect(() => new MailSender({ smtpUrl: 'smtp://127.0.0.1:1025', defaultFrom: 'nobody' })).toThrow(MailSendError);
  });
});
