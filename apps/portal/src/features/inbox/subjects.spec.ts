import { subjectPath } from './subjects';

describe('subjectPath', () => {
  it('opens an application, a solution and a billing run (by the period its API address names)', () => {
    expect(subjectPath({ type: 'partner-application', id: 'a1', url: '/onboarding/applications/a1' })).toBe('/onboarding/a1');
    expect(subjectPath({ type: 'solution-design', id: 's1', url: '/solutions/s1' })).toBe('/solutions/s1');
    expect(subjectPath({ type: 'billing-run', id: 'run-uuid', url: '/billing/runs/2026-08' })).toBe('/billing-runs/2026-08');
  });

  it('gives no page for a subject it does not know, or a run address it cannot read', () => {
    expect(subjectPath({ type: 'billing-run', id: 'run-uuid', url: '/billing/runs/by-id/run-uuid' })).toBeNull();
    expect(subjectPath({ type: 'something-else', id: 'x', url: '/x' })).toBeNull();
  });
});
