import { newApplicant, waitForTask } from '../support/applicants';
import { createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/**
 * Applications and approval tasks follow the tenancy rule of the parties they belong to (the
 * sponsor, the task's assignee): two sibling distributors each see their own and never the
 * other's, in lists, single reads (404) and recorded decisions; the operator above both sees both.
 */
describe('applications and approvals across sibling tenants (e2e)', () => {
  let h: Harness;
  let operator: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  interface Sibling {
    admin: string;
    applicationId: string;
    workflowId: string;
    taskId: string;
  }
  let a: Sibling;
  let b: Sibling;

  /** A private distributor with an admin, an agent application it sponsors, and its approval task decided. */
  async function sibling(operatorId: string): Promise<Sibling> {
    const sponsor = await createPartner(h, { kind: 'distributor', parentId: operatorId, role: 'distributor-admin' });
    const admin = await h.login(sponsor.adminEmail, FIXTURE_PASSWORD);
    const submitted = (
      await h.http
        .post('/applications')
        .send(newApplicant('agent', { sponsorPartyId: sponsor.party.id }))
        .expect(202)
    ).body;
    const task = await waitForTask(h, admin, submitted.workflowId);
    await h.http
      .post(`/approvals/tasks/${encodeURIComponent(task.id)}/decisions`)
      .set(auth(admin))
      .send({ decision: 'request-changes', comment: 'a fuller company name, please' })
      .expect(200);
    return { admin, applicationId: submitted.applicationId, workflowId: submitted.workflowId, taskId: task.id };
  }

  /** The task ids of the decisions the caller sees, filtered by `query`, once `ready` holds. */
  async function decidedTaskIds(token: string, query: string, ready: (ids: string[]) => boolean = () => true): Promise<string[]> {
    return waitFor(async () => {
      const res = await h.http.get(`/approvals/decisions?pageSize=100&${query}`).set(auth(token)).expect(200);
      const ids = (res.body.items as { taskId: string }[]).map((d) => d.taskId);
      expect(res.body.meta.total).toBe(ids.length);
      return ready(ids) ? ids : undefined;
    });
  }

  beforeAll(async () => {
    h = await startHarness();
    operator = await h.login('admin@wholesail.demo');
    const operatorId = (await h.http.get('/parties?kind=operator').set(auth(operator)).expect(200)).body.items[0].id as string;
    [a, b] = await Promise.all([sibling(operatorId), sibling(operatorId)]);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('shows each sibling its own applications and hides the other’s (404)', async () => {
    for (const [me, other] of [
      [a, b],
      [b, a],
    ]) {
      const listed = (await h.http.get('/applications?pageSize=100').set(auth(me.admin)).expect(200)).body.items.map((x: { id: string }) => x.id);
      expect(listed).toContain(me.applicationId);
      expect(listed).not.toContain(other.applicationId);
      await h.http.get(`/applications/${me.applicationId}`).set(auth(me.admin)).expect(200);
      const hidden = await h.http.get(`/applications/${other.applicationId}`).set(auth(me.admin)).expect(404);
      expect(hidden.body.code).toBe('APPLICATION_NOT_FOUND');
    }
    await h.http.get(`/applications/${a.applicationId}`).set(auth(operator)).expect(200);
    await h.http.get(`/applications/${b.applicationId}`).set(auth(operator)).expect(200);
  });

  it('shows each sibling its own approval tasks and decisions, never the other’s', async () => {
    for (const [me, other] of [
      [a, b],
      [b, a],
    ]) {
      await h.http
        .get(`/approvals/tasks/${encodeURIComponent(me.taskId)}`)
        .set(auth(me.admin))
        .expect(200);
      const hidden = await h.http
        .get(`/approvals/tasks/${encodeURIComponent(other.taskId)}`)
        .set(auth(me.admin))
        .expect(404);
      expect(hidden.body.code).toBe('APPROVAL_UNKNOWN_TASK');

      // Its own decision is recorded and listed; the other's is not, by task, by workflow or unfiltered.
      expect(await decidedTaskIds(me.admin, `taskId=${encodeURIComponent(me.taskId)}`, (ids) => ids.length > 0)).toEqual([me.taskId]);
      expect(await decidedTaskIds(me.admin, `workflowId=${encodeURIComponent(me.workflowId)}`)).toEqual([me.taskId]);
      expect(await decidedTaskIds(me.admin, `taskId=${encodeURIComponent(other.taskId)}`)).toEqual([]);
      expect(await decidedTaskIds(me.admin, `workflowId=${encodeURIComponent(other.workflowId)}`)).toEqual([]);
      expect(await decidedTaskIds(me.admin, '')).toEqual([me.taskId]);
    }
    // The operator, above both, sees both decisions.
    for (const sibling of [a, b]) expect(await decidedTaskIds(operator, `taskId=${encodeURIComponent(sibling.taskId)}`)).toEqual([sibling.taskId]);
  });
});
