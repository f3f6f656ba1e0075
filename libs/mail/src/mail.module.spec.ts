import { Test } from '@nestjs/testing';
import { APP_CONFIG, ConfigModule, loadConfig } from '@wholesail/config';
import { type RunningMailCatcher, startMailCatcher } from '../../devstack/src/mail-catcher';
import { MailInboxClient } from '../../devstack/src/mail-inbox';
import { MailRenderer } from './mail-renderer';
import { MailSender, messageIdFor } from './mail-sender';
import { MAIL_TEMPLATE_SAMPLES } from './mail-template.samples';
import { MailModule } from './mail.module';

describe('MailModule', () => {
  let catcher: RunningMailCatcher;

  beforeAll(async () => {
    catcher = await startMailCatcher({ log: () => undefined });
  });

  afterAll(() => catcher.stop());

  it('builds renderer and sender from the validated configuration', async () => {
    const config = loadConfig({
      SMTP_URL: catcher.smtpUrl,
      MAIL_FROM: 'Wholesail Test <mail@wholesail.test>',
      PUBLIC_URL: 'https://app.wholesail.example/',
      OPERATOR_TIMEZONE: 'Europe/Amsterdam',
    });
    const app = await Test.createTestingModule({ imports: [ConfigModule, MailModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .compile();
    await app.init();
    try {
      const renderer = app.get(MailRenderer);
      const sender = app.get(MailSender);
      const rendered = renderer.render('approval-requested', { ...MAIL_TEMPLATE_SAMPLES['approval-requested'], dueAt: '2026-07-01T10:00:00Z' });
      // OPERATOR_TIMEZONE is the default zone, PUBLIC_URL the footer link.
      expect(rendered.text).toContain('Decide by: 1 July 2026, 12:00 CEST');
      expect(rendered.text).toContain('https://app.wholesail.example/');

      const messageId = messageIdFor('approval:task-1:requested:user-1');
      await sender.send({ to: 'olivia@wholesail.test', ...rendered, messageId });
      const caught = await new MailInboxClient(catcher.apiUrl).waitFor((message) => message.headers['message-id'] === messageId, 5_000);
      expect(caught.headers['from']).toBe('Wholesail Test <mail@wholesail.test>');
      expect(caught.subject).toBe(rendered.subject);
    } finally {
      await app.close();
    }
  });
});
