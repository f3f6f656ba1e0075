import { MikroORM } from '@mikro-orm/postgresql';
import { readEmailChangeToken, signedTokenMatches } from '@wholesail/auth';
import { loadConfig } from '@wholesail/config';
import type { ApplicantEmail } from '@wholesail/contracts';
import { MailInboxClient } from '@wholesail/devstack';
import { MailRenderer, MailSender } from '@wholesail/mail';
import { ormConfig } from '@wholesail/persistence';
import { EmailOutbox } from '../../activities/mail/email-outbox.service';
import { PartnerOnboardingActivities } from '../../activities/onboarding/partner-onboarding.activities';
import { insertApplication, onboardingRecords } from '../support/applicants';
import { testEnv, testStack } from '../support/stack';

/**
 * Every applicant e-mail with a link links somewhere that works: the applicant's page in the
 * portal (PORTAL_URL) with the applicant's token, or the API's page confirming a new address.
 */
describe('applicant e-mails (integration)', () => {
  let orm: MikroORM;
  let activities: PartnerOnboardingActivities;
  let inbox: MailInboxClient;
  const config = loadConfig(testEnv({ PUBLIC_URL: 'https://api.wholesail.test', PORTAL_URL: 'https://portal.wholesail.test/' }));

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    inbox = new MailInboxClient(testStack().mailApiUrl);
    const outbox = new EmailOutbox(
      orm.em,
      new MailRenderer(),
      new MailSender({ smtpUrl: testStack().smtpUrl, defaultFrom: 'Wholesail <no-reply@wholesail.test>' }),
    );
    const { records, invitations } = onboardingRecords(orm.em, config);
    activities = new PartnerOnboardingActivities(records, outbox, invitations, config);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  it('links status, changes and reminders to the portal page, and the new address to its confirmation', async () => {
    const app = await insertApplication(orm.em.fork());
    const tag = app.id.slice(0, 8);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const newEmail = `new-${tag}@links.test`;
    const mails: ApplicantEmail[] = [
      { template: 'application-received', data: { kind: 'reseller' } },
      { template: 'application-exists', data: {} },
      { template: 'changes-requested', data: { comment: 'add your VAT number', respondBy: expiresAt } },
      { template: 'resubmission-reminder', data: { comment: 'add your VAT number', respondBy: expiresAt, reminderNo: 1 } },
      { template: 'email-change-requested', data: { newEmail, expiresAt } },
    ];
    for (const mail of mails) {
      await activities.sendApplicantEmail({ ...mail, applicationId: app.id, idempotencyKey: `links:${tag}:${mail.template}` });
      const caught = await inbox.waitFor(
        (m) => m.to.includes(app.email) && m.headers['message-id']?.includes(encodeURIComponent(`links:${tag}:${mail.template}`)),
        15_000,
      );
      const link = /(https:\/\/\S+?)\/applications\/([0-9a-f-]{36})\?token=([A-Za-z0-9_-]+)/.exec(caught.text ?? '');
      expect([mail.template, link?.[1], link?.[2]]).toEqual([mail.template, 'https://portal.wholesail.test', app.id]);
      expect(signedTokenMatches(config.jwt.secret, 'applicant', app.id, link![3])).toBe(true);
    }
    await activities.sendApplicantEmail({
      template: 'email-change-confirmation',
      data: { newEmail, expiresAt },
      applicationId: app.id,
      idempotencyKey: `links:${tag}:confirm`,
    });
    const confirmation = await inbox.waitFor((m) => m.to.includes(newEmail), 15_000);
    expect(confirmation.to).not.toContain(app.email);
    const confirm = /https:\/\/api\.wholesail\.test\/applications\/([0-9a-f-]{36})\/email-confirmations\/([A-Za-z0-9_.-]+)/.exec(confirmation.text ?? '');
    expect(confirm?.[1]).toBe(app.id);
    expect(readEmailChangeToken(config.jwt.secret, app.id, confirm![2])?.email).toBe(newEmail);
  });
});
