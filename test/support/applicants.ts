import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '@wholesail/config';
import { AgreementWriter, Invitations, PartyWriter, PriceBookWriter } from '@wholesail/parties';
import { Application, EffectiveDatePolicy } from '@wholesail/persistence';
import { OnboardingRecords } from '../../activities/onboarding/onboarding.records';
import { randomUUID } from 'node:crypto';
import type { Harness } from './harness';
import { waitFor } from './wait-for';

/** A unique, valid application body: names, e-mails and tax IDs must not clash across runs and files. */
export function newApplicant(kind: 'reseller' | 'agent' | 'distributor', extra: Record<string, unknown> = {}) {
  const tag = randomUUID().slice(0, 8);
  return {
    kind,
    name: `E2E ${kind} ${tag}`,
    contactName: `Pat ${tag}`,
    email: `pat-${tag}@applicant.demo`,
    taxId: `NL${parseInt(tag, 16) % 1_000_000_000}B01`,
    ...extra,
  };
}

export interface InboxTask {
  id: string;
  title: string;
  stepKey: string;
  dueAt: string;
  canDecide: boolean;
  subject: { url: string };
}

/** The first task of a workflow in the caller's approval inbox, once it is there. */
export function waitForTask(h: Harness, token: string, workflowId: string): Promise<InboxTask> {
  return waitFor(async () => {
    const inbox = await h.http
      .get(`/approvals/tasks?workflowId=${encodeURIComponent(workflowId)}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    return inbox.body.items[0] as InboxTask | undefined;
  });
}

/** The application as its applicant sees it, once it has reached `status`. */
export function waitForApplicationStatus(h: Harness, applicationId: string, applicantToken: string, status: string) {
  return waitFor(async () => {
    const res = await h.http.get(`/applications/${applicationId}`).set('X-Applicant-Token', applicantToken).expect(200);
    return res.body.status === status ? res.body : undefined;
  });
}

/** An application row written straight to the database (no workflow), for activity and record tests. */
export async function insertApplication(em: EntityManager): Promise<Application> {
  const tag = randomUUID().slice(0, 8);
  const app = em.create(Application, {
    businessKey: randomUUID().replace(/-/g, ''),
    kind: 'reseller',
    name: `Stored ${tag}`,
    contactName: 'Pat',
    email: `pat-${tag}@stored.test`,
    taxId: 'NL123456789B01',
    submittedBy: 'public',
    workflowId: `onboarding:${tag}`,
  });
  await em.flush();
  return app;
}

/** The onboarding activities' data access with the real writers, as the worker builds it. */
export function onboardingRecords(em: EntityManager, config: AppConfig): { records: OnboardingRecords; invitations: Invitations } {
  const policy = new EffectiveDatePolicy(config);
  const invitations = new Invitations(em, config);
  return { records: new OnboardingRecords(em, new PartyWriter(policy), new AgreementWriter(policy), new PriceBookWriter(policy), invitations), invitations };
}
