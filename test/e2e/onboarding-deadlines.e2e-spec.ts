import { MailInboxClient } from '@wholesail/devstack';
import { randomUUID } from 'node:crypto';
import { createPartner } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { testStack } from '../support/stack';

/**
 * Bounded waits with the real activities: with a 1-second reminder interval and a 3-second
 * deadline, the sponsor's admin is reminded by e-mail, then the task expires, the applicant is told,
 * and a late decision is refused.
 */
describe('onboarding deadlines (e2e)', () => {
  let h: Harness;
  let mail: MailInboxClient;

  beforeAll(async () => {
    h = await startHarness({ env: { ONBOARDING_REMINDER_EVERY: '1s', ONBOARDING_EXPIRES_AFTER: '3s' } });
    mail = new MailInboxClient(testStack().mailApiUrl);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('reminds the approver, then expires the application and refuses a late decision', async () => {
    const operator = await h.login('admin@wholesail.demo');
    const operatorParty = (await h.http.get('/auth/me').set('Authorization', `Bearer ${operator}`).expect(200)).body.partyId as string;
    const sponsor = await createPartner(h, { kind: 'distributor', parentId: operatorParty, role: 'distributor-admin' });
    const tag = randomUUID().slice(0, 8);
    const email = `late-${tag}@applicant.demo`;
    const { body: submitted } = await h.http
      .post('/applications')
      .send({
        kind: 'reseller',
        name: `Slow Reseller ${tag}`,
        contactName: 'Sam Slow',
        email,
        taxId: `DE${parseInt(tag, 16) % 1_000_000_000}`,
        sponsorPartyId: sponsor.party.id,
      })
      .expect(202);

    const requested = await mail.waitFor((m) => m.to.includes(sponsor.adminEmail) && !/remind/i.test(m.subject), 15_000);
    expect(requested.text).toContain(`Slow Reseller ${tag}`);
    const reminder = await mail.waitFor(
      (m) => m.to.includes(sponsor.adminEmail) && /remind/i.test(m.subject + (m.text ?? '')) && m.id !== requested.id,
      15_000,
    );
    expect(reminder).toBeDefined();

    const expired = await mail.waitFor((m) => m.to.includes(email) && /expired|expir/i.test(m.subject + (m.text ?? '')), 20_000);
    expect(expired).toBeDefined();
    const application = await h.http.get(`/applications/${submitted.applicationId}`).set('X-Applicant-Token', submitted.applicantToken).expect(200);
    expect(application.body.status).toBe('expired');

    const adminToken = await h.login(sponsor.adminEmail, 'fixture-password-1');
    const tasks = await h.http
      .get(`/approvals/tasks?status=expired&workflowId=${encodeURIComponent(submitted.workflowId)}`)
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(tasks.body.items).toHaveLength(1);
    const late = await h.http
      .post(`/approvals/tasks/${encodeURIComponent(tasks.body.items[0].id)}/decisions`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ decision: 'approve' })
      .expect(409);
    expect(['APPROVAL_EXPIRED', 'APPROVAL_ALREADY_DECIDED']).toContain(late.body.code);
  });
});
