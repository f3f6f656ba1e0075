import { isRunWorking, previousPeriod, progressRows, runTone, share } from './billing-run';

describe('billing run helpers', () => {
  it('polls while the workflow works, not while it waits for finance or has ended', () => {
    expect(isRunWorking('running')).toBe(true);
    expect(isRunWorking('emailing')).toBe(true);
    expect(isRunWorking('awaiting-approval')).toBe(false);
    expect(isRunWorking('completed')).toBe(false);
    expect(isRunWorking('failed')).toBe(false);
  });

  it('rounds progress down, caps it at 100 and reads nothing to do as 0', () => {
    expect(share(0, 0)).toBe(0);
    expect(share(2, 3)).toBe(66);
    expect(share(3, 3)).toBe(100);
    expect(share(5, 3)).toBe(100);
  });

  it('lists the three counters with their shares', () => {
    expect(progressRows({ clientsRated: 1, clientsTotal: 4, documentsFinal: 0, documentsTotal: 0, emailsSent: 2, emailsTotal: 2 })).toEqual([
      { label: 'Clients rated', done: 1, total: 4, percent: 25 },
      { label: 'Documents final', done: 0, total: 0, percent: 0 },
      { label: 'E-mails sent', done: 2, total: 2, percent: 100 },
    ]);
  });

  it('proposes the previous month, across a year end', () => {
    expect(previousPeriod(new Date('2026-11-30T12:00:00Z'))).toBe('2026-10');
    expect(previousPeriod(new Date('2027-01-05T00:00:00Z'))).toBe('2026-12');
  });

  it('tones finished, failed and open runs apart', () => {
    expect(runTone('completed')).toBe('active');
    expect(runTone('rejected')).toBe('danger');
    expect(runTone('awaiting-approval')).toBe('open');
  });
});
