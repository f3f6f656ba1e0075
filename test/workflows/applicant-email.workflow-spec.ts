import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { APPLICANT_EMAIL_WORKFLOW, applicantEmailWorkflowId, applicationExistsMailKey, type ApplicantEmailRequest } from '@wholesail/contracts';
import { createLocalTestEnv, sourceBundle } from '../support/temporal-env';

/** The API's applicant e-mails run as a one-activity workflow keyed by the mail: sent once, retried until sent. */
describe('applicantEmail workflow', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createLocalTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('sends the mail through the activity, retrying a transient failure, once per key', async () => {
    const sent: ApplicantEmailRequest[] = [];
    let failures = 1;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'applicant-email-test',
      workflowBundle: await sourceBundle(),
      activities: {
        sendApplicantEmail: async (input: ApplicantEmailRequest) => {
          if (failures-- > 0) throw new Error('SMTP went away');
          sent.push(input);
        },
      },
    });
    const key = applicationExistsMailKey('app-1', new Date('2026-11-30T10:15:00Z'));
    expect(key).toBe(applicationExistsMailKey('app-1', new Date('2026-11-30T10:59:59Z')));
    expect(key).not.toBe(applicationExistsMailKey('app-1', new Date('2026-11-30T11:00:00Z')));
    const input: ApplicantEmailRequest = { template: 'application-exists', data: {}, applicationId: 'app-1', idempotencyKey: key };
    await worker.runUntil(async () => {
      const start = () =>
        env.client.workflow.start(APPLICANT_EMAIL_WORKFLOW, {
          workflowId: applicantEmailWorkflowId(key),
          taskQueue: 'applicant-email-test',
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      await (await start()).result();
      await expect(start()).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    });
    expect(sent).toEqual([input]);
  });
});
