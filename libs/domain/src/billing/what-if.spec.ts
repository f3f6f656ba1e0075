import { errorOf } from '../testing/error-of';
import type { ChannelSnapshot } from './channel';
import { billingPeriod } from './period';
import { withProposedAgreements } from './what-if';

const PERIOD = billingPeriod('2026-10', 'UTC');
const snapshot: ChannelSnapshot = {
  timeZone: 'UTC',
  clients: [],
  agents: [{ id: 'A1', distributorId: 'D1' }],
  assignments: [],
  agentCredits: [],
  distributorAgreements: [
    { id: 'd1-v1', distributorId: 'D1', rate: '0.05', effectiveFrom: '2026-01-01T00:00:00Z', effectiveTo: '2026-10-20T00:00:00Z' },
    { id: 'd1-v2', distributorId: 'D1', rate: '0.055', effectiveFrom: '2026-10-20T00:00:00Z' },
    { id: 'd2-v1', distributorId: 'D2', rate: '0.04', effectiveFrom: '2026-01-01T00:00:00Z' },
  ],
  agentAgreements: [{ id: 'a1-v1', agentId: 'A1', rate: '0.02', effectiveFrom: '2026-01-01T00:00:00Z' }],
};

describe('what-if agreements', () => {
  it('put a proposed version in force from the period’s start, ending the party’s versions there', () => {
    const proposed = withProposedAgreements(
      snapshot,
      [{ id: 'p1', partyId: 'D1', partyKind: 'distributor', rate: '0.06', volumeTiers: [{ from: '1000', rate: '0.07' }] }],
      PERIOD,
    );
    expect(proposed.distributorAgreements.filter((v) => v.distributorId === 'D1')).toEqual([
      { id: 'd1-v1', distributorId: 'D1', rate: '0.05', effectiveFrom: '2026-01-01T00:00:00Z', effectiveTo: PERIOD.start },
      { id: 'p1', distributorId: 'D1', rate: '0.06', feePerActiveClient: null, volumeTiers: [{ from: '1000', rate: '0.07' }], effectiveFrom: PERIOD.start },
    ]);
    expect(proposed.distributorAgreements.find((v) => v.distributorId === 'D2')).toEqual(snapshot.distributorAgreements[2]);
  });

  it('from a later instant keep what was in force before it', () => {
    const from = '2026-10-10T00:00:00Z';
    const proposed = withProposedAgreements(
      snapshot,
      [{ id: 'p2', partyId: 'A1', partyKind: 'agent', rate: '0.03', fundedBy: 'distributor', firstMonths: 6, effectiveFrom: from }],
      PERIOD,
    );
    expect(proposed.agentAgreements).toEqual([
      { ...snapshot.agentAgreements[0], effectiveTo: new Date(from) },
      { id: 'p2', agentId: 'A1', rate: '0.03', firstMonths: 6, fundedBy: 'distributor', effectiveFrom: new Date(from) },
    ]);
  });

  it('refuse terms the party could not have, naming the proposal', () => {
    expect(errorOf(() => withProposedAgreements(snapshot, [{ id: 'p', partyId: 'A1', partyKind: 'agent', rate: '2' }], PERIOD)).fields[0].field).toBe('rate');
    expect(
      errorOf(() =>
        withProposedAgreements(
          snapshot,
          [
            { id: 'p', partyId: 'D1', partyKind: 'distributor', rate: '0.05' },
            { id: 'q', partyId: 'D1', partyKind: 'distributor', rate: '0.06' },
          ],
          PERIOD,
        ),
      ).fields[0].field,
    ).toBe('agreements[1].partyId');
    expect(
      errorOf(() =>
        withProposedAgreements(snapshot, [{ id: 'p', partyId: 'D1', partyKind: 'distributor', rate: '0.05', effectiveFrom: '2026-11-01T00:00:00Z' }], PERIOD),
      ).fields[0].field,
    ).toBe('agreements[0].effectiveFrom');
  });
});
