import { EntityManager } from '@mikro-orm/postgresql';
import { emailChangeToken } from '@wholesail/auth';
import { loadConfig } from '@wholesail/config';
import { MailInboxClient, type CaughtMessage } from '@wholesail/devstack';
import { EmailMessage } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { newApplicant, waitForApplicationStatus, waitForTask as waitForTaskOf } from '../support/applicants';
import { createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { testStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * Applications cannot be taken over: a repeated submission never reveals the applicant's token
 * (the address on file is e-mailed instead, at most once an hour), a new contact e-mail must be
 * confirmed from that address and is told to the old one, withdrawal is for the applicant and the
 * sponsor's or operator's admins (with a reason, recorded), the public form does not tell which
 * party ids exist, and every applicant link opens the portal with a token the API accepts.
 */
describe('application security (e2e)', () => {
  let h: Harness;
  let mail: MailInboxClient;
  let operator: string;
  let operatorId: string;
  let portalUrl: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    h = await startHarness({ env: { ONBOARDING_REMINDER_EVERY: '1 hour', ONBOARDING_EXPIRES_AFTER: '1 day' } });
    portalUrl = loadConfig(h.env).portalUrl;
    mail = new MailInboxClient(testStack().mailApiUrl);
    operator = await h.login('admin@wholesail.demo');
    operatorId = (await h.http.get('/parties?kind=operator').set(auth(operator)).expect(200)).body.items[0].id;
  });

  afterAll(async () => {
    await h?.close();
  });

  const mailTo = (address: string, match: (m: CaughtMessage) => boolean) => mail.waitFor((m) => m.to.includes(address) && match(m), 20_000);

  /** The portal link of an applicant e-mail: its application id and token. */
  function portalLink(message: CaughtMessage): { applicationId: string; token: string; url: string } {
    const match = /(https?:\/\/[^\s"<>]+\/applications\/([0-9a-f-]{36})\?token=([A-Za-z0-9_-]+))/.exec(message.text ?? '');
    expect(match).not.toBeNull();
    expect(match![1].startsWith(`${portalUrl}/applications/`)).toBe(true);
    return { url: match![1], applicationId: match![2], token: match![3] };
  }

  const applicant = newApplicant;
  const waitForTask = (token: string, workflowId: string) => waitForTaskOf(h, token, workflowId);
  const waitForStatus = (applicationId: string, token: string, status: string) => waitForApplicationStatus(h, applicationId, token, status);

  describe('point 1: a repeated submission reveals nothing', () => {
    it('answers a repeat with its existence only and e-mails the address on file, at most once an hour', async () => {
      const body = applicant('distributor');
      const first = await h.http.post('/applications').send(body).expect(202);
      expect(first.body).toMatchObject({ created: true, applicantToken: expect.any(String), applicationId: expect.any(String) });
      const { applicationId, applicantToken } = first.body;

      for (let i = 0; i < 3; i++) {
        const again = await h.http.post('/applications').send(body).expect(202);
        expect(again.body).toEqual({ created: false, message: expect.stringMatching(/already exists/i) });
        expect(JSON.stringify(again.body)).not.toContain(applicantToken);
        expect(JSON.stringify(again.body)).not.toContain(applicationId);
      }
      // Signed in as someone else changes nothing: still no token.
      const signedIn = await h.http.post('/applications').set(auth(operator)).send(body).expect(202);
      expect(signedIn.body).toEqual({ created: false, message: expect.any(String) });

      // The real applicant gets the link by e-mail: the portal page, with a token the API accepts.
      const notice = await mailTo(body.email, (m) => /already/i.test(m.subject));
      const link = portalLink(notice);
      expect(link.applicationId).toBe(applicationId);
      await h.http.get(`/applications/${applicationId}`).query({ token: link.token }).expect(200);
      // However often the form is sent, one notice an hour: one outbox row for it.
      const em = h.app.get(EntityManager).fork();
      expect(await em.count(EmailMessage, { subjectRef: `application:${applicationId}`, template: 'application-exists' })).toBe(1);
      await h.http.post(`/applications/${applicationId}/withdrawals`).set('X-Applicant-Token', applicantToken).send({}).expect(200);
    });

    it('never replays an anonymous submission’s token to another anonymous caller with the same Idempotency-Key', async () => {
      const body = applicant('distributor');
      const key = `apply-${randomUUID()}`;
      const first = await h.http.post('/applications').set('Idempotency-Key', key).send(body).expect(202);
      expect(first.body.applicantToken).toEqual(expect.any(String));
      const replay = await h.http.post('/applications').set('Idempotency-Key', key).send(body).expect(202);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual({ created: false, message: expect.any(String) });
      expect(JSON.stringify(replay.body)).not.toContain(first.body.applicantToken);
      await h.http.post(`/applications/${first.body.applicationId}/withdrawals`).set('X-Applicant-Token', first.body.applicantToken).send({}).expect(200);
      // A refusal holds no secret: it is replayed as it was.
      const badKey = `apply-${randomUUID()}`;
      const bad = await h.http
        .post('/applications')
        .set('Idempotency-Key', badKey)
        .send({ ...body, email: 'not-an-email' })
        .expect(400);
      const badReplay = await h.http
        .post('/applications')
        .set('Idempotency-Key', badKey)
        .send({ ...body, email: 'not-an-email' })
        .expect(400);
      expect([badReplay.body, badReplay.headers['idempotent-replayed']]).toEqual([bad.body, 'true']);
    });

    it('changes the contact e-mail only once the new address confirms it, and tells the old one', async () => {
      const body = applicant('distributor');
      const { body: submitted } = await h.http.post('/applications').send(body).expect(202);
      const first = await waitForTask(operator, submitted.workflowId);
      await h.http
        .post(`/approvals/tasks/${encodeURIComponent(first.id)}/decisions`)
        .set(auth(operator))
        .send({ decision: 'request-changes', comment: 'please use your company address' })
        .expect(200);
      await waitForStatus(submitted.applicationId, submitted.applicantToken, 'changes-requested');

      const newEmail = `new-${randomUUID().slice(0, 8)}@applicant.demo`;
      const resubmitted = await h.http
        .post(`/applications/${submitted.applicationId}/resubmissions`)
        .set('X-Applicant-Token', submitted.applicantToken)
        .send({ email: newEmail, contactName: 'Samantha Secure' })
        .expect(200);
      expect(resubmitted.body.emailChange).toEqual({ email: newEmail, status: 'awaiting-confirmation', expiresAt: expect.any(String) });
      // Other corrections apply at once; the e-mail waits for confirmation.
      const pending = await waitFor(async () => {
        const res = await h.http.get(`/applications/${submitted.applicationId}`).set('X-Applicant-Token', submitted.applicantToken).expect(200);
        return res.body.contactName === 'Samantha Secure' ? res.body : undefined;
      });
      expect(pending.email).toBe(body.email);

      const told = await mailTo(body.email, (m) => /e-mail address/i.test(m.subject));
      expect(told.text).toContain(newEmail);
      const confirmation = await mailTo(newEmail, (m) => /confirm/i.test(m.subject));
      const confirmLink = /(https?:\/\/[^\s"<>]+\/applications\/([0-9a-f-]{36})\/email-confirmations\/([A-Za-z0-9_.-]+))/.exec(confirmation.text ?? '');
      expect(confirmLink).not.toBeNull();
      const [, , linkedId, token] = confirmLink!;
      expect(linkedId).toBe(submitted.applicationId);
      // The link opens a page that asks to confirm (a GET changes nothing: mail scanners follow links).
      const page = await h.http.get(`/applications/${linkedId}/email-confirmations/${token}`).expect(200);
      expect(page.text).toContain(newEmail);
      expect((await h.http.get(`/applications/${linkedId}`).set('X-Applicant-Token', submitted.applicantToken)).body.email).toBe(body.email);

      // A forged or expired token is refused.
      await h.http.post(`/applications/${linkedId}/email-confirmations/${token.slice(0, -2)}xx`).expect(400);
      const expired = emailChangeToken(h.env.JWT_SECRET, linkedId, newEmail, new Date(Date.now() - 1000));
      const late = await h.http.post(`/applications/${linkedId}/email-confirmations/${expired}`).expect(400);
      expect(late.body.code).toBe('EMAIL_CHANGE_TOKEN_INVALID');
      const elsewhere = await h.http.post(`/applications/${randomUUID()}/email-confirmations/${token}`).expect(400);
      expect(elsewhere.body.code).toBe('EMAIL_CHANGE_TOKEN_INVALID');

      const confirmed = await h.http.post(`/applications/${linkedId}/email-confirmations/${token}`).expect(200);
      expect(confirmed.body).toMatchObject({ applicationId: linkedId, email: newEmail });
      const after = await h.http.get(`/applications/${linkedId}`).set('X-Applicant-Token', submitted.applicantToken).expect(200);
      expect(after.body.email).toBe(newEmail);
      // Confirming twice is harmless.
      await h.http.post(`/applications/${linkedId}/email-confirmations/${token}`).expect(200);

      // Approved, the new admin's invitation goes to the confirmed address.
      const second = await waitFor(async () => {
        const inbox = await h.http
          .get(`/approvals/tasks?workflowId=${encodeURIComponent(submitted.workflowId)}`)
          .set(auth(operator))
          .expect(200);
        return (inbox.body.items as { id: string }[]).find((t) => t.id !== first.id);
      });
      await h.http
        .post(`/approvals/tasks/${encodeURIComponent(second.id)}/decisions`)
        .set(auth(operator))
        .send({ decision: 'approve' })
        .expect(200);
      await waitForStatus(submitted.applicationId, submitted.applicantToken, 'active');
      const welcome = await mailTo(newEmail, (m) => /welcome/i.test(m.subject));
      expect(welcome.text).toMatch(/\/invitations\//);
      // Too late to change it now (a genuine link for yet another address).
      const another = emailChangeToken(h.env.JWT_SECRET, linkedId, `late-${newEmail}`, new Date(Date.now() + 3_600_000));
      const tooLate = await h.http.post(`/applications/${linkedId}/email-confirmations/${another}`).expect(409);
      expect(tooLate.body.code).toBe('ONBOARDING_ALREADY_FINISHED');
    });
  });

  describe('point 2: withdrawal', () => {
    it('is for the applicant and the sponsor’s or the operator’s admins, with a reason, recorded', async () => {
      const acme = (await h.http.get('/parties?kind=reseller&q=acme').set(auth(operator)).expect(200)).body.items.find(
        (p: { code: string }) => p.code === 'reseller-acme',
      ).id as string;
      const body = applicant('reseller', { parentResellerId: acme });
      const { body: submitted } = await h.http.post('/applications').send(body).expect(202);
      const url = `/applications/${submitted.applicationId}/withdrawals`;

      // People who can see it but are not its admins, and machines, may not withdraw it.
      const architect = await h.login('architect@acme.demo');
      await h.http.get(`/applications/${submitted.applicationId}`).set(auth(architect)).expect(200);
      const refused = await h.http.post(url).set(auth(architect)).send({ reason: 'not mine to decide' }).expect(403);
      expect(refused.body.code).toBe('APPLICATION_WITHDRAW_FORBIDDEN');
      const finance = await h.login('finance@wholesail.demo');
      await h.http.post(url).set(auth(finance)).send({ reason: 'tidying up' }).expect(403);
      const acmeAdmin = await h.login('admin@acme.demo');
      const key = await h.http.post('/auth/api-keys').set(auth(acmeAdmin)).send({ name: 'withdrawal bot' }).expect(201);
      await h.http.post(url).set('X-API-Key', key.body.key).send({ reason: 'automated' }).expect(403);
      await h.http.delete(`/auth/api-keys/${key.body.id}`).set(auth(acmeAdmin)).expect(200);
      // Outside the sponsor's tree, it does not exist.
      const contoso = await h.login('admin@contoso.demo');
      await h.http.post(url).set(auth(contoso)).send({ reason: 'x' }).expect(404);

      // The sponsor's admin needs a reason.
      const noReason = await h.http.post(url).set(auth(acmeAdmin)).send({}).expect(400);
      expect(noReason.body.fields).toEqual([{ field: 'reason', problem: expect.stringMatching(/required/) }]);
      const blank = await h.http.post(url).set(auth(acmeAdmin)).send({ reason: '   ' }).expect(400);
      expect(blank.body.code).toBe('WITHDRAWAL_REASON_REQUIRED');
      const withdrawn = await h.http.post(url).set(auth(acmeAdmin)).send({ reason: 'we no longer sponsor them' }).expect(200);
      expect(withdrawn.body.status).toBe('withdrawn');

      const me = (await h.http.get('/auth/me').set(auth(acmeAdmin)).expect(200)).body;
      const recorded = await waitFor(async () => {
        const res = await h.http.get(`/applications/${submitted.applicationId}`).set(auth(acmeAdmin)).expect(200);
        return res.body.withdrawal ? res.body : undefined;
      });
      expect(recorded.withdrawal).toEqual({ by: `user:${me.id}`, reason: 'we no longer sponsor them', at: expect.any(String) });
      expect(recorded.statusReason).toBe('we no longer sponsor them');
    });

    it('lets an operator admin withdraw with a reason, and the applicant without one', async () => {
      const sponsor = await createPartner(h, { kind: 'distributor', parentId: operatorId, role: 'distributor-admin' });
      const one = (
        await h.http
          .post('/applications')
          .send(applicant('agent', { sponsorPartyId: sponsor.party.id }))
          .expect(202)
      ).body;
      const two = (
        await h.http
          .post('/applications')
          .send(applicant('agent', { sponsorPartyId: sponsor.party.id }))
          .expect(202)
      ).body;
      const sponsorAdmin = await h.login(sponsor.adminEmail, FIXTURE_PASSWORD);
      await waitForTask(sponsorAdmin, one.workflowId);
      await h.http.post(`/applications/${one.applicationId}/withdrawals`).set(auth(operator)).send({ reason: 'duplicate of another' }).expect(200);
      await h.http.post(`/applications/${two.applicationId}/withdrawals`).set('X-Applicant-Token', two.applicantToken).send({}).expect(200);
      const recorded = await waitFor(async () => {
        const res = await h.http.get(`/applications/${two.applicationId}`).set('X-Applicant-Token', two.applicantToken).expect(200);
        return res.body.withdrawal ? res.body : undefined;
      });
      expect(recorded.withdrawal).toMatchObject({ by: 'applicant' });
    });
  });

  describe('point 8: the public form is no oracle of party ids', () => {
    it('answers an unknown sponsor, one of the wrong kind and an inactive one alike', async () => {
      const parties = (await h.http.get('/parties?pageSize=200').set(auth(operator)).expect(200)).body.items as { id: string; code: string }[];
      const byCode = (code: string) => parties.find((p) => p.code === code)!.id;
      const suspended = await createPartner(h, { kind: 'distributor', parentId: operatorId, role: 'distributor-admin' });
      await h.app.get(EntityManager).fork().getConnection().execute(`update party set status = 'suspended' where id = ?`, [suspended.party.id]);
      const answers = [];
      for (const sponsorPartyId of [randomUUID(), byCode('reseller-acme'), byCode('client-umbrella'), operatorId, suspended.party.id]) {
        const res = await h.http.post('/applications').send(applicant('agent', { sponsorPartyId }));
        answers.push([res.status, res.body]);
      }
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(answers[0][0]).toBe(400);
      const parents = [];
      for (const parentResellerId of [randomUUID(), byCode('dist-northwind'), byCode('client-umbrella')]) {
        const res = await h.http.post('/applications').send(applicant('reseller', { parentResellerId }));
        parents.push([res.status, res.body]);
      }
      for (const answer of parents) expect(answer).toEqual(parents[0]);
      expect(parents[0][0]).toBe(400);
    });
  });

  describe('point 9: applicant links open the portal', () => {
    it('links the changes-requested e-mail to the portal page with a working token', async () => {
      const body = applicant('distributor');
      const { body: submitted } = await h.http.post('/applications').send(body).expect(202);
      const received = await mailTo(body.email, (m) => /received/i.test(m.subject));
      expect(portalLink(received).token).toBe(submitted.applicantToken);
      const task = await waitForTask(operator, submitted.workflowId);
      await h.http
        .post(`/approvals/tasks/${encodeURIComponent(task.id)}/decisions`)
        .set(auth(operator))
        .send({ decision: 'request-changes', comment: 'add your VAT registration' })
        .expect(200);
      const changes = await mailTo(body.email, (m) => (m.text ?? '').includes('add your VAT registration'));
      const link = portalLink(changes);
      expect(link.url).toBe(`${portalUrl}/applications/${submitted.applicationId}?token=${link.token}`);
      // The HTML part's button carries the same link (Handlebars writes '=' as an entity).
      expect(changes.html?.replace(/&#x3D;/g, '=')).toContain(`href="${portalUrl}/applications/${submitted.applicationId}?token=${link.token}"`);
      const viaLink = await h.http.get(`/applications/${link.applicationId}`).query({ token: link.token }).expect(200);
      expect(viaLink.body.status).toBe('changes-requested');
      await h.http.post(`/applications/${link.applicationId}/withdrawals`).query({ token: link.token }).send({}).expect(200);
    });
  });
});
