import { loadConfig } from '@wholesail/config';
import { MailInboxClient, type CaughtMessage } from '@wholesail/devstack';
import { randomUUID } from 'node:crypto';
import { newApplicant, waitForApplicationStatus, waitForTask as waitForTaskOf } from '../support/applicants';
import { createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';
import { testStack } from '../support/stack';

/**
 * Partner onboarding end to end over HTTP: an application starts the workflow, the sponsor and the
 * operator decide from their approval inboxes, the partner is provisioned, the welcome e-mail (with
 * its invitation link) arrives in the test SMTP server, and the new admin sets a password and logs in.
 */
describe('partner onboarding (e2e)', () => {
  let h: Harness;
  let mail: MailInboxClient;
  const ids: Record<string, string> = {};
  /** This file's own distributor: the resellers it recruits here change nobody else's counts. */
  let distributor: { id: string; adminEmail: string };
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    // Long waits: these tests decide promptly; reminders and expiry are covered by the workflow tests.
    h = await startHarness({ env: { ONBOARDING_REMINDER_EVERY: '1 hour', ONBOARDING_EXPIRES_AFTER: '1 day' } });
    mail = new MailInboxClient(testStack().mailApiUrl);
    const operator = await h.login('admin@wholesail.demo');
    const all = await h.http.get('/parties?pageSize=200').set(auth(operator)).expect(200);
    for (const party of all.body.items as { code: string; id: string }[]) ids[party.code] = party.id;
    const created = await createPartner(h, { kind: 'distributor', parentId: ids['operator'], role: 'distributor-admin' });
    distributor = { id: created.party.id, adminEmail: created.adminEmail };
  });

  afterAll(async () => {
    await h?.close();
  });

  const applicant = newApplicant;
  const waitForTask = (token: string, workflowId: string) => waitForTaskOf(h, token, workflowId);
  const waitForStatus = (applicationId: string, applicantToken: string, status: string) => waitForApplicationStatus(h, applicationId, applicantToken, status);

  const mailTo = (address: string, subject: RegExp) => mail.waitFor((m: CaughtMessage) => m.to.includes(address) && subject.test(m.subject), 20_000);

  it('takes a reseller from application to a signed-in admin', async () => {
    const body = applicant('reseller', { sponsorPartyId: distributor.id, branding: { primaryColor: '#114477' } });
    const submitted = await h.http.post('/applications').send(body).expect(202);
    expect(submitted.body).toMatchObject({ created: true, workflowId: `onboarding:${submitted.body.applicationId}` });
    const { applicationId, applicantToken, workflowId } = submitted.body;

    // A repeated submission starts nothing new and reveals nothing (the address on file is e-mailed).
    const again = await h.http.post('/applications').send(body).expect(202);
    expect(again.body).toEqual({ created: false, message: expect.any(String) });

    await mailTo(body.email, /received|application/i);

    // The sponsor (the recruiting distributor's admin) confirms from its inbox.
    const sponsorAdmin = await h.login(distributor.adminEmail, FIXTURE_PASSWORD);
    const sponsorTask = await waitForTask(sponsorAdmin, workflowId);
    expect(sponsorTask).toMatchObject({ stepKey: 'sponsor', canDecide: true });
    expect(new Date(sponsorTask.dueAt).getTime()).toBeGreaterThan(Date.now());
    await h.http.get(sponsorTask.subject.url).set(auth(sponsorAdmin)).expect(200);

    // Another distributor neither sees nor decides it.
    const contoso = await h.login('admin@contoso.demo');
    const contosoInbox = await h.http
      .get(`/approvals/tasks?workflowId=${encodeURIComponent(workflowId)}`)
      .set(auth(contoso))
      .expect(200);
    expect(contosoInbox.body.items).toEqual([]);
    await h.http
      .post(`/approvals/tasks/${encodeURIComponent(sponsorTask.id)}/decisions`)
      .set(auth(contoso))
      .send({ decision: 'approve' })
      .expect(404);
    await h.http.get(`/applications/${applicationId}`).set(auth(contoso)).expect(404);

    const confirmed = await h.http
      .post(`/approvals/tasks/${encodeURIComponent(sponsorTask.id)}/decisions`)
      .set(auth(sponsorAdmin))
      .send({ decision: 'approve', comment: 'we recruited them' })
      .expect(200);
    expect(confirmed.body).toMatchObject({ accepted: true, outcome: 'approved', taskStatus: 'approved' });
    const twice = await h.http
      .post(`/approvals/tasks/${encodeURIComponent(sponsorTask.id)}/decisions`)
      .set(auth(sponsorAdmin))
      .send({ decision: 'approve' })
      .expect(409);
    expect(twice.body.code).toBe('APPROVAL_ALREADY_DECIDED');

    // The operator approves; operator-finance is at the right party but lacks the role.
    const operator = await h.login('admin@wholesail.demo');
    const operatorTask = await waitForTask(operator, workflowId);
    expect(operatorTask.stepKey).toBe('operator');
    const finance = await h.login('finance@wholesail.demo');
    const notYours = await h.http
      .post(`/approvals/tasks/${encodeURIComponent(operatorTask.id)}/decisions`)
      .set(auth(finance))
      .send({ decision: 'approve' })
      .expect(403);
    expect(notYours.body.code).toBe('APPROVAL_NOT_YOURS');
    const noComment = await h.http
      .post(`/approvals/tasks/${encodeURIComponent(operatorTask.id)}/decisions`)
      .set(auth(operator))
      .send({ decision: 'reject' })
      .expect(400);
    expect(noComment.body.code).toBe('APPROVAL_COMMENT_REQUIRED');
    // The refusal names the field, so a form can show it there.
    expect(noComment.body.fields).toEqual([{ field: 'comment', problem: expect.stringContaining('required') }]);
    await h.http
      .post(`/approvals/tasks/${encodeURIComponent(operatorTask.id)}/decisions`)
      .set(auth(operator))
      .send({ decision: 'approve' })
      .expect(200);

    const active = await waitForStatus(applicationId, applicantToken, 'active');
    expect(active.partyId).toEqual(expect.any(String));

    // Every decision is recorded with who, when and what.
    const decisions = await h.http
      .get(`/approvals/decisions?workflowId=${encodeURIComponent(workflowId)}`)
      .set(auth(operator))
      .expect(200);
    const recorded = decisions.body.items.map((d: { decision: string; decidedBy: { email: string } }) => [d.decision, d.decidedBy.email]);
    expect(recorded).toHaveLength(2);
    expect(recorded).toEqual(
      expect.arrayContaining([
        ['approve', 'admin@wholesail.demo'],
        ['approve', distributor.adminEmail],
      ]),
    );
    expect(decisions.body.items[0].decidedAt).toEqual(expect.any(String));

    // The welcome e-mail carries the one-time invitation link.
    const welcome = await mailTo(body.email, /welcome/i);
    // It opens the portal's invitation page; the API answers a browser there too.
    const link = /https?:\/\/[^\s"<>]+\/portal\/invitations\/([^\s"<>/?]+)/.exec(welcome.text ?? '');
    expect(link).not.toBeNull();
    const token = link![1];
    const invitation = await h.http.get(`/invitations/${token}`).set('Accept', 'application/json').expect(200);
    expect(invitation.body).toMatchObject({ email: body.email, partyName: body.name, partyId: active.partyId });
    const browser = await h.http.get(`/invitations/${token}`).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(302);
    expect(browser.headers.location).toBe(`${loadConfig(h.env).portalUrl}/invitations/${token}`);
    await h.http.post(`/invitations/${token}`).send({ password: 'short' }).expect(400);
    await h.http.post(`/invitations/${token}`).send({ password: 'a-long-enough-password' }).expect(200);
    const reuse = await h.http.post(`/invitations/${token}`).send({ password: 'another-long-password' }).expect(409);
    expect(reuse.body.code).toBe('INVITATION_USED');

    const newAdmin = await h.login(body.email, 'a-long-enough-password');
    const me = await h.http.get('/auth/me').set(auth(newAdmin)).expect(200);
    expect(me.body).toMatchObject({ partyId: active.partyId, partyKind: 'reseller', roles: ['reseller-admin'] });
    // The new reseller sits under its recruiting distributor.
    const party = await h.http.get(`/parties/${active.partyId}`).set(auth(sponsorAdmin)).expect(200);
    expect(party.body).toMatchObject({ kind: 'reseller', parentId: distributor.id, name: body.name });
  });

  it('e-mails the reason when the operator rejects', async () => {
    const body = applicant('distributor');
    const { body: submitted } = await h.http.post('/applications').send(body).expect(202);
    const operator = await h.login('admin@wholesail.demo');
    const task = await waitForTask(operator, submitted.workflowId);
    const decided = await h.http
      .post(`/approvals/tasks/${encodeURIComponent(task.id)}/decisions`)
      .set(auth(operator))
      .send({ decision: 'reject', comment: 'no presence in our markets' });
    expect(decided.body).toMatchObject({ accepted: true });
    const rejected = await waitForStatus(submitted.applicationId, submitted.applicantToken, 'rejected');
    expect(rejected.statusReason).toContain('no presence in our markets');
    await mail.waitFor((m) => m.to.includes(body.email) && (m.text ?? '').includes('no presence in our markets'), 20_000);
  });

  it('lets the applicant withdraw while it waits, and not twice', async () => {
    const body = applicant('agent', { sponsorPartyId: ids['dist-contoso'] });
    const { body: submitted } = await h.http.post('/applications').send(body).expect(202);
    const contoso = await h.login('admin@contoso.demo');
    await waitForTask(contoso, submitted.workflowId);
    await h.http.post(`/applications/${submitted.applicationId}/withdrawals`).send({ reason: 'changed my mind' }).expect(404); // no token
    const withdrawn = await h.http
      .post(`/applications/${submitted.applicationId}/withdrawals`)
      .set('X-Applicant-Token', submitted.applicantToken)
      .send({ reason: 'changed my mind' })
      .expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    const again = await h.http
      .post(`/applications/${submitted.applicationId}/withdrawals`)
      .set('X-Applicant-Token', submitted.applicantToken)
      .send({})
      .expect(409);
    expect(again.body.code).toBe('ONBOARDING_ALREADY_FINISHED');
    const tasks = await h.http
      .get(`/approvals/tasks?status=withdrawn&workflowId=${encodeURIComponent(submitted.workflowId)}`)
      .set(auth(contoso))
      .expect(200);
    expect(tasks.body.items).toHaveLength(1);
  });

  it('requests changes, takes the resubmission and approves the new round', async () => {
    const body = applicant('distributor');
    const { body: submitted } = await h.http.post('/applications').send(body).expect(202);
    const operator = await h.login('admin@wholesail.demo');
    const first = await waitForTask(operator, submitted.workflowId);
    await h.http
      .post(`/approvals/tasks/${encodeURIComponent(first.id)}/decisions`)
      .set(auth(operator))
      .send({ decision: 'request-changes', comment: 'please use your registered legal name' })
      .expect(200);
    await waitForStatus(submitted.applicationId, submitted.applicantToken, 'changes-requested');
    await mail.waitFor((m) => m.to.includes(body.email) && (m.text ?? '').includes('please use your registered legal name'), 20_000);

    const bad = await h.http
      .post(`/applications/${submitted.applicationId}/resubmissions`)
      .set('X-Applicant-Token', submitted.applicantToken)
      .send({ email: 'not-an-email' })
      .expect(400);
    expect(bad.body.fields[0].field).toBe('email');
    await h.http
      .post(`/applications/${submitted.applicationId}/resubmissions`)
      .set('X-Applicant-Token', submitted.applicantToken)
      .send({ name: `${body.name} B.V.`, comment: 'done' })
      .expect(200);

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
    const active = await waitForStatus(submitted.applicationId, submitted.applicantToken, 'active');
    expect(active.name).toBe(`${body.name} B.V.`);
    expect(active.round).toBe(2);
  });

  it('refuses bad applications with a 4xx naming the field, writing nothing', async () => {
    const operator = await h.login('admin@wholesail.demo');
    const before = (await h.http.get('/applications?pageSize=1').set(auth(operator)).expect(200)).body.meta.total;

    const missing = await h.http.post('/applications').send({ kind: 'reseller' }).expect(400);
    expect(missing.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['contactName', 'email', 'name', 'taxId']);
    const agentWithoutDistributor = await h.http.post('/applications').send(applicant('agent')).expect(400);
    expect(agentWithoutDistributor.body.fields[0].field).toBe('sponsorPartyId');
    const agentUnderReseller = await h.http
      .post('/applications')
      .send(applicant('agent', { sponsorPartyId: ids['reseller-acme'] }))
      .expect(400);
    expect(agentUnderReseller.body.fields[0]).toEqual({ field: 'sponsorPartyId', problem: 'is not a distributor taking applications' });
    const unknownParent = await h.http
      .post('/applications')
      .send(applicant('reseller', { parentResellerId: randomUUID() }))
      .expect(400);
    expect(unknownParent.body.fields[0]).toEqual({ field: 'parentResellerId', problem: 'is not a reseller taking sub-resellers' });
    const badColour = await h.http
      .post('/applications')
      .send(applicant('reseller', { branding: { primaryColor: 'blue' } }))
      .expect(400);
    expect(badColour.body.fields[0].field).toBe('branding.primaryColor');

    const after = (await h.http.get('/applications?pageSize=1').set(auth(operator)).expect(200)).body.meta.total;
    expect(after).toBe(before);
  });

  it('rejects an application that fails the automatic checks, listing the problems', async () => {
    // The same tax ID as an application in progress would be a duplicate; a malformed one fails the format check.
    const body = applicant('distributor', { taxId: '12-34' });
    const { body: submitted } = await h.http.post('/applications').send(body).expect(202);
    const rejected = await waitForStatus(submitted.applicationId, submitted.applicantToken, 'rejected');
    expect(rejected.problems).toEqual([expect.objectContaining({ field: 'taxId' })]);
    await mail.waitFor((m) => m.to.includes(body.email) && /tax ID/i.test(m.text ?? ''), 20_000);
  });

  it('keeps distributors’ applications and tasks apart', async () => {
    const body = applicant('reseller', { sponsorPartyId: ids['dist-northwind'] });
    const { body: submitted } = await h.http.post('/applications').send(body).expect(202);
    const northwind = await h.login('admin@northwind.demo');
    await waitForTask(northwind, submitted.workflowId);
    const contoso = await h.login('admin@contoso.demo');
    const contosoApps = await h.http.get('/applications?pageSize=200').set(auth(contoso)).expect(200);
    expect((contosoApps.body.items as { id: string }[]).map((a) => a.id)).not.toContain(submitted.applicationId);
    const northwindApps = await h.http.get('/applications?pageSize=200').set(auth(northwind)).expect(200);
    expect((northwindApps.body.items as { id: string }[]).map((a) => a.id)).toContain(submitted.applicationId);
    const acme = await h.login('admin@acme.demo');
    expect((await h.http.get('/approvals/tasks').set(auth(acme)).expect(200)).body.items).toEqual([]);
    await h.http.get('/approvals/tasks').expect(401);
    // Tidy up: withdraw so the process ends.
    await h.http.post(`/applications/${submitted.applicationId}/withdrawals`).set('X-Applicant-Token', submitted.applicantToken).send({}).expect(200);
  });
});
