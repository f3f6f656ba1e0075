import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/** The operator reads the e-mail outbox: what was sent to whom, delivery status and attempts. */
describe('e-mail outbox (e2e)', () => {
  let h: Harness;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    h = await startHarness({ env: { ONBOARDING_REMINDER_EVERY: '1 hour', ONBOARDING_EXPIRES_AFTER: '1 day' } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lists the mail an application caused, filtered by recipient, with its delivery', async () => {
    const tag = randomUUID().slice(0, 8);
    const email = `outbox-${tag}@applicant.demo`;
    const { body: submitted } = await h.http
      .post('/applications')
      .send({ kind: 'distributor', name: `Outbox ${tag}`, contactName: `Olga ${tag}`, email, taxId: `NL${parseInt(tag, 16) % 1_000_000_000}B03` })
      .expect(202);
    const operator = await h.login('admin@wholesail.demo');
    const sent = await waitFor(async () => {
      const res = await h.http
        .get(`/emails?to=${encodeURIComponent(email.toUpperCase())}`)
        .set(auth(operator))
        .expect(200);
      return res.body.items.find((m: { status: string }) => m.status === 'sent');
    });
    expect(sent).toMatchObject({
      template: 'application-received',
      to: email,
      status: 'sent',
      attempts: 1,
      lastError: null,
      subjectRef: `application:${submitted.applicationId}`,
    });
    expect(Date.parse(sent.sentAt)).not.toBeNaN();

    const bySubject = await h.http
      .get(`/emails?subjectRef=application:${submitted.applicationId}&template=application-received`)
      .set(auth(operator))
      .expect(200);
    expect(bySubject.body.items.map((m: { to: string }) => m.to)).toEqual([email]);
    const finance = await h.login('finance@wholesail.demo');
    const failedOnly = await h.http
      .get(`/emails?status=failed&to=${encodeURIComponent(email)}`)
      .set(auth(finance))
      .expect(200);
    expect(failedOnly.body).toMatchObject({ items: [], meta: { total: 0, page: 1 } });
  });

  it('is the operator’s alone, and names a bad filter', async () => {
    await h.http.get('/emails').expect(401);
    await h.http
      .get('/emails')
      .set(auth(await h.login('admin@acme.demo')))
      .expect(403);
    await h.http
      .get('/emails')
      .set(auth(await h.login('admin@northwind.demo')))
      .expect(403);
    const bad = await h.http
      .get('/emails?status=lost&to=nobody')
      .set(auth(await h.login('admin@wholesail.demo')))
      .expect(400);
    expect(bad.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'status', problem: 'must be one of: pending, sent, failed' },
        { field: 'to', problem: 'must be an email address' },
      ]),
    );
  });
});
