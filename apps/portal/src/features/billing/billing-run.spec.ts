import { isRunWorking, previousPeriod, progressRows, runRefetchInterval, runTone, share, totalRows } from './billing-run';

describe('billing run helpers', () => {
  it('polls while the workflow works, not while it waits for finance or has ended', () => {
    expect(isRunWorking('running')).toBe(true);
    expect(isRunWorking('emailing')).toBe(true);
    expect(isRunWorking('awaiting-approval')).toBe(false);
    expect(isRunWorking('completed')).toBe(false);
    expect(isRunWorking('failed')).toBe(false);
  });

  it('asks again often while the workflow works, now and then while finance decides, never once it has ended', () => {
    expect(runRefetchInterval('running')).toBe(3_000);
    expect(runRefetchInterval('awaiting-approval')).toBe(5_000);
    expect(runRefetchInterval('changes-requested')).toBe(5_000);
    expect(runRefetchInterval('completed')).toBe(false);
    expect(runRefetchInterval('failed')).toBe(false);
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

  it('lists the totals in the ledger’s order, unknown ones last', () => {
    const rows = totalRows({
      operatorNet: '3.00',
      carveOuts: '0.00',
      wholesale: '5.00',
      somethingNew: '1.00',
      clientInvoices: '6.00',
      distributorCuts: '2.00',
    });
    expect(rows.map((r) => r.name)).toEqual(['clientInvoices', 'wholesale', 'distributorCuts', 'carveOuts', 'operatorNet', 'somethingNew']);
    expect(rows[0]).toEqual({ name: 'clientInvoices', amount: '6.00' });
    expect(totalRows(null)).toEqual([]);
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
