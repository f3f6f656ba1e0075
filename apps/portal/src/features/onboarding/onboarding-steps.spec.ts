import { onboardingSteps } from './onboarding-steps';

const states = (app: Parameters<typeof onboardingSteps>[0]) => onboardingSteps(app).map((s) => `${s.key}:${s.state}`);

describe('onboarding progress', () => {
  it('shows where an application waits', () => {
    expect(states({ status: 'awaiting-operator', sponsorPartyId: null, parentResellerId: null, problems: null })).toEqual([
      'submitted:done',
      'checks:done',
      'sponsor:skipped',
      'operator:current',
      'account:upcoming',
      'done:upcoming',
    ]);
    expect(states({ status: 'awaiting-sponsor', sponsorPartyId: 'd', parentResellerId: null, problems: null })).toContain('sponsor:current');
  });

  it('marks the step where it stopped, and everything done when active', () => {
    expect(states({ status: 'rejected', sponsorPartyId: null, parentResellerId: null, problems: [{ field: 'taxId', problem: 'bad' }] })).toContain(
      'checks:failed',
    );
    expect(states({ status: 'withdrawn', sponsorPartyId: 'd', parentResellerId: null, problems: null })).toContain('operator:failed');
    expect(onboardingSteps({ status: 'active', sponsorPartyId: 'd', parentResellerId: null, problems: null }).every((s) => s.state === 'done')).toBe(true);
  });
});
