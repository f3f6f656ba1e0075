import { ONBOARDING_WORKFLOW } from '@wholesail/contracts/onboarding/onboarding.contract';

/**
 * What a task is about, in the portal: a kind people recognise and the page that shows the subject.
 */
const KINDS: Record<string, string> = {
  [ONBOARDING_WORKFLOW]: 'Partner onboarding',
  solutionApproval: 'Solution approval',
  billingRun: 'Billing run',
};

export function taskKindLabel(workflowType: string): string {
  return KINDS[workflowType] ?? workflowType.replace(/([a-z])([A-Z])/g, '$1 $2');
}

export const KNOWN_KINDS = Object.keys(KINDS);

const SUBJECT_PAGES: Record<string, (subject: { id: string; url: string }) => string | null> = {
  'partner-application': ({ id }) => `/onboarding/${id}`,
  'solution-design': ({ id }) => `/solutions/${id}`,
  // A run's page is by period, which its API address (/billing/runs/<period>) names.
  'billing-run': ({ url }) => {
    const period = /^\/billing\/runs\/(\d{4}-\d{2})$/.exec(url)?.[1];
    return period ? `/billing-runs/${period}` : null;
  },
};

export function subjectPath(subject: { type: string; id: string; url?: string }): string | null {
  return SUBJECT_PAGES[subject.type]?.({ id: subject.id, url: subject.url ?? '' }) ?? null;
}

export type DeadlineFilter = 'any' | 'overdue' | 'day' | 'week';

export function dueWithin(dueAt: string, filter: DeadlineFilter, now = Date.now()): boolean {
  const due = Date.parse(dueAt);
  switch (filter) {
    case 'any':
      return true;
    case 'overdue':
      return due < now;
    case 'day':
      return due < now + 86_400_000;
    case 'week':
      return due < now + 7 * 86_400_000;
  }
}
