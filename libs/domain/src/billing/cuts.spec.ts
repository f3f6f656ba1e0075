import { Dec, Money } from '../money';
import type { PricingContext } from '../pricing/pricing-context';
import { errorOf } from '../testing/error-of';
import { Channel, type ChannelSnapshot } from './channel';
import { commissionRate, computeCuts, tieredCommission } from './commission';
import { account, buildLedger, explainAccount } from './ledger';
import { checkLedger } from './ledger-invariants';
import { RatedPage, type StoredRatedPage } from './rated-page';
import { ledgerBalances } from './run-ledger';
import { billingPeriod } from './period';
import { rateUsage } from './rating';
import { usageForRun, type RecordedResourceEvent } from './usage-for-run';

/**
 * A month worked out by hand (UTC, October 2026: 31 days). VCPU is 10.00 wholesale a month; every
 * client runs 31 vCPU all month, so a client's wholesale is 10.00 per day: 310.00 for the month.
 *
 *   D1 (5 % up to 100.00 of monthly volume, 10 % above; 2.00 per active client)
 *     R1 ── C1   until 16 Oct 00:00, then R1 moves to D2 (4 %, no fee)
 *     R3 ── C3
 *   operator direct
 *     R4 ── C4
 *   Agents: A1 (of D1) found C1: 2 %, first 12 months, carved out of D1's cut.
 *           A2 (of D1) found C3: 50 %, carved out of D1's cut — more than D1 earns on C3.
 *           A3 (of D2) found C4: 10 %, first 12 months from C4's activeSince 10 Oct 2025 12:00, operator-funded.
 */
const PERIOD = billingPeriod('2026-10', 'UTC');
const MOVE = '2026-10-16T00:00:00Z';
const START = '2026-01-01T00:00:00Z';

const snapshot: ChannelSnapshot = {
  timeZone: 'UTC',
  clients: [
    { id: 'C1', resellerIds: ['R1'], activeSince: START },
    { id: 'C3', resellerIds: ['R3'], activeSince: START },
    { id: 'C4', resellerIds: ['R4'], activeSince: '2025-10-10T12:00:00Z' },
  ],
  agents: [
    { id: 'A1', distributorId: 'D1' },
    { id: 'A2', distributorId: 'D1' },
    { id: 'A3', distributorId: 'D2' },
  ],
  assignments: [
    { resellerId: 'R1', distributorId: 'D1', effectiveFrom: START, effectiveTo: MOVE },
    { resellerId: 'R1', distributorId: 'D2', effectiveFrom: MOVE },
    { resellerId: 'R3', distributorId: 'D1', effectiveFrom: START },
    { resellerId: 'R4', distributorId: null, effectiveFrom: START },
  ],
  agentCredits: [
    { clientId: 'C1', agentId: 'A1', effectiveFrom: START },
    { clientId: 'C3', agentId: 'A2', effectiveFrom: START },
    { clientId: 'C4', agentId: 'A3', effectiveFrom: START },
  ],
  distributorAgreements: [
    { id: 'd1-v1', distributorId: 'D1', rate: '0.05', volumeTiers: [{ from: '100', rate: '0.10' }], feePerActiveClient: '2.00', effectiveFrom: START },
    { id: 'd2-v1', distributorId: 'D2', rate: '0.04', effectiveFrom: START },
  ],
  agentAgreements: [
    { id: 'a1-v1', agentId: 'A1', rate: '0.02', firstMonths: 12, fundedBy: 'distributor', effectiveFrom: START },
    { id: 'a2-v1', agentId: 'A2', rate: '0.50', fundedBy: 'distributor', effectiveFrom: START },
    { id: 'a3-v1', agentId: 'A3', rate: '0.10', firstMonths: 12, effectiveFrom: START },
  ],
};

/** R1 sells at +20 %, R3 at +25 %, R4 at +10 %. */
function pricingFor(clientId: string): PricingContext {
  const reseller = { C1: 'R1', C3: 'R3', C4: 'R4' }[clientId]!;
  const uplift = { R1: '20', R3: '25', R4: '10' }[reseller]!;
  return {
    catalog: {
      currency: 'EUR',
      items: [{ sku: 'VCPU', name: 'vCPU', category: 'compute', unit: 'vCPU' }],
      prices: [{ id: 'wp-1', sku: 'VCPU', unitPrice: '10.00', effectiveFrom: START }],
    },
    chain: { clientId, resellerIds: [reseller] },
    priceBooks: [{ id: `pb-${reseller}`, resellerId: reseller, audience: 'clients', effectiveFrom: START, defaultUpliftPercent: uplift, rules: [] }],
    clientOverrides: [],
  };
}

const events: RecordedResourceEvent[] = ['C1', 'C3', 'C4'].map((clientId) => ({
  transactionId: `start-${clientId}`,
  resourceId: `vm-${clientId}`,
  clientId,
  sku: 'VCPU',
  kind: 'start',
  quantity: '31',
  occurredAt: '2026-09-01T00:00:00Z',
  freezePeriod: '2026-09',
}));

function run() {
  const channel = new Channel(snapshot);
  const { segments } = usageForRun({ events, lines: [] }, { period: PERIOD, firstBilledPeriod: '2026-09' });
  const lines = rateUsage({ segments, pricingFor, channel });
  const cuts = computeCuts({ period: PERIOD, currency: 'EUR', lines, channel });
  return { lines, cuts, ledger: buildLedger(lines, cuts) };
}

const str = (m: Money) => m.toString();

describe('the month-end cut, worked by hand', () => {
  const { lines, cuts, ledger } = run();

  it('rates each client in lines cut where the distributor or the agent window changes', () => {
    // C1: 15 days under D1 = 150.00, 16 under D2 = 160.00. C4: A3's 12 months end 10 Oct 12:00: 9.5 days = 95.00, then 215.00.
    expect(lines.map((l) => [l.clientId, l.from.toISOString().slice(0, 16), str(l.wholesaleAmount), str(l.clientAmount)])).toEqual([
      ['C1', '2026-10-01T00:00', '150.00', '180.00'],
      ['C1', '2026-10-16T00:00', '160.00', '192.00'],
      ['C3', '2026-10-01T00:00', '310.00', '387.50'],
      ['C4', '2026-10-01T00:00', '95.00', '104.50'],
      ['C4', '2026-10-10T12:00', '215.00', '236.50'],
    ]);
    expect(lines.map((l) => [l.attribution.distributorId, l.attribution.agentId, l.attribution.agentEligible])).toEqual([
      ['D1', 'A1', true],
      ['D2', 'A1', true],
      ['D1', 'A2', true],
      [null, 'A3', true],
      [null, 'A3', false],
    ]);
  });

  it('gives D1 its tiered rate on its whole volume, a time share of the fee, less the carve-outs', () => {
    const d1 = cuts.distributors.find((d) => d.distributorId === 'D1')!;
    // Volume 150.00 + 310.00 = 460.00; tiered: 100 × 5 % + 360 × 10 % = 5.00 + 36.00 = 41.00.
    expect(str(d1.volume)).toBe('460.00');
    expect(tieredCommission(snapshot.distributorAgreements[0], new Dec('460')).toFixed()).toBe('41');
    // Each client at 41/460: C1 150 × 41/460 = 13.369… → 13.37; C3 310 × 41/460 = 27.630… → 27.63.
    expect(d1.commissionLines.map((c) => [c.clientId, str(c.basis), c.rate, str(c.amount)])).toEqual([
      ['C1', '150.00', { numerator: '41', denominator: '460' }, '13.37'],
      ['C3', '310.00', { numerator: '41', denominator: '460' }, '27.63'],
    ]);
    // Fee 2.00 per active client: C1 for 15 of 31 days = 0.9677… → 0.97; C3 all month = 2.00.
    expect(d1.feeLines.map((f) => [f.clientId, f.seconds, str(f.amount)])).toEqual([
      ['C1', String(15 * 86_400), '0.97'],
      ['C3', String(31 * 86_400), '2.00'],
    ]);
    expect(d1.activeClients).toEqual(['C1', 'C3']);
    // A1: 2 % of C1's 310.00 = 6.20, within D1's 13.37 + 0.97 = 14.34 on C1.
    // A2: 50 % of C3's 310.00 = 155.00, capped at D1's 27.63 + 2.00 = 29.63 on C3.
    expect(d1.carveOuts.map((a) => [a.agentId, str(a.carvedOut)])).toEqual([
      ['A1', '6.20'],
      ['A2', '29.63'],
    ]);
    // Gross 13.37 + 27.63 + 0.97 + 2.00 = 43.97; deductions 6.20 + 29.63 = 35.83; payout 8.14.
    expect([str(d1.gross), str(d1.deductions), str(d1.payout)]).toEqual(['43.97', '35.83', '8.14']);
  });

  it('gives D2 its flat rate on the part of C1 after the move, and no fee (it has none)', () => {
    const d2 = cuts.distributors.find((d) => d.distributorId === 'D2')!;
    // 160.00 × 4 % = 6.40.
    expect(d2.commissionLines.map((c) => [c.clientId, str(c.amount)])).toEqual([['C1', '6.40']]);
    expect([str(d2.gross), str(d2.payout), d2.feeLines]).toEqual(['6.40', '6.40', []]);
  });

  it('pays every agent its full cut, funded by the operator where a carve-out cannot', () => {
    expect(cuts.agents.map((a) => [a.agentId, str(a.payout), str(a.carvedOut), str(a.operatorFunded)])).toEqual([
      ['A1', '6.20', '6.20', '0.00'],
      // 155.00 − 29.63 carved = 125.37 from the operator.
      ['A2', '155.00', '29.63', '125.37'],
      // 10 % of C4's 95.00 inside the first 12 months = 9.50; the 215.00 after them earns nothing.
      ['A3', '9.50', '0.00', '9.50'],
    ]);
  });

  it('leaves the operator the rest, and the ledger balances to the cent', () => {
    // Wholesale 930.00 − distributor cuts (43.97 + 6.40) − operator-funded agent cuts (125.37 + 9.50) = 744.76.
    expect([str(cuts.wholesale), str(cuts.distributorCuts), str(cuts.operatorFundedAgentCuts), str(cuts.operatorNet)]).toEqual([
      '930.00',
      '50.37',
      '134.87',
      '744.76',
    ]);
    // Client invoices 180 + 192 + 387.50 + 104.50 + 236.50 = 1,100.50 = margins 170.50 + wholesale 930.00.
    expect([str(cuts.clientInvoices), str(cuts.resellerMargins)]).toEqual(['1100.50', '170.50']);
    const check = checkLedger(ledger, cuts);
    expect(check.violations).toEqual([]);
    expect(check.totals).toEqual({
      clientInvoices: '1100.50',
      resellerMargins: '170.50',
      wholesale: '930.00',
      operatorNet: '744.76',
      distributorCuts: '50.37',
      operatorFundedAgentCuts: '134.87',
      carveOuts: '35.83',
    });
  });

  it('explains a payout entry by entry, back to the rated lines and the events', () => {
    const explained = explainAccount(ledger, account('distributor-commission-payable', 'D1'));
    expect(str(explained.balance)).toBe('-8.14');
    expect(explained.entries.map((e) => [e.kind, e.sourceId, str(e.amount)])).toEqual([
      ['distributor-commission', 'dc:D1:C1:d1-v1', '-13.37'],
      ['distributor-commission', 'dc:D1:C3:d1-v1', '-27.63'],
      ['distributor-fee', 'df:D1:C1:d1-v1', '-0.97'],
      ['distributor-fee', 'df:D1:C3:d1-v1', '-2.00'],
      ['agent-commission', 'ac:A1:C1:a1-v1', '6.20'],
      ['agent-commission', 'ac:A2:C3:a2-v1', '29.63'],
    ]);
    const c1Line = cuts.distributors[0].commissionLines[0];
    const rated = lines.find((l) => l.clientId === c1Line.clientId && l.attribution.distributorAgreementId === c1Line.agreementId)!;
    expect(rated.origin).toEqual({ kind: 'resource', resourceId: 'vm-C1', setBy: 'start-C1', endedBy: null });
  });

  it('names the invariant a tampered ledger breaks, with the amounts', () => {
    // D1's commission on C3 credited one cent more than its expense.
    const tampered = {
      ...ledger,
      entries: ledger.entries.map((e) =>
        e.id === 'dc:D1:C3:d1-v1' ? { ...e, postings: [e.postings[0], { ...e.postings[1], amount: Money.of('-27.64', 'EUR') }] } : e,
      ),
    };
    const check = checkLedger(tampered, cuts);
    expect(check.ok).toBe(false);
    expect(check.violations.map((v) => [v.invariant, v.subject, v.expected, v.actual])).toEqual([
      ['entry-balanced', 'dc:D1:C3:d1-v1', '0.00', '-0.01'],
      ['statements-match-ledger', 'payout of distributor D1', '8.14', '8.15'],
    ]);
    const unclosed = { ...ledger, entries: ledger.entries.filter((e) => e.kind !== 'close') };
    expect(checkLedger(unclosed).violations.map((v) => v.invariant)).toEqual(['wholesale-split', 'period-closed', 'period-closed', 'period-closed']);
  });
});

describe('a page as the run keeps it (RatedPage)', () => {
  const { lines, cuts, ledger } = run();
  const channel = new Channel(snapshot);
  const kept = (page: RatedPage) => RatedPage.fromJSON(JSON.parse(JSON.stringify(page)) as StoredRatedPage, PERIOD, 'EUR');

  it('gives the cuts and ledger balances of the lines, gathered in slices and kept as JSON', () => {
    const page = new RatedPage(PERIOD, 'EUR');
    page.add(lines.slice(0, 1));
    page.add(lines.slice(1));
    const cut = kept(page).cut(channel, new Map());
    expect(cut.violations).toEqual([]);
    expect(cut.cuts.distributors.map((d) => [d.distributorId, str(d.payout)])).toEqual(cuts.distributors.map((d) => [d.distributorId, str(d.payout)]));
    expect(cut.cuts.agents.map((a) => [a.agentId, str(a.payout)])).toEqual(cuts.agents.map((a) => [a.agentId, str(a.payout)]));
    const shown = (l: typeof ledger) => ledgerBalances(l).map((b) => `${b.entryKind} ${b.account} ${str(b.amount)}`);
    expect(shown(cut.ledger)).toEqual(shown(ledger));
  });

  it('names a line that posts a fraction of a cent, and a page whose lines disagree with themselves', () => {
    const line = lines[0];
    const fraction = { ...line, id: 'fraction', clientAmount: Money.of('1.005', 'EUR') };
    const unbalanced = { ...line, id: 'unbalanced', tiers: line.tiers.map((t) => ({ ...t, costAmount: t.costAmount.add(Money.of('0.01', 'EUR')) })) };
    const page = new RatedPage(PERIOD, 'EUR');
    page.add([fraction]);
    expect(
      kept(page)
        .cut(channel, new Map())
        .violations.filter((v) => v.invariant === 'posting-rounded')
        .map((v) => v.subject),
    ).toEqual(['inv:fraction', 'inv:fraction', 'page:0:invoice-line', 'page:0:invoice-line']); // the line's own entry, found as rated; then the page's sums
    const other = new RatedPage(PERIOD, 'EUR');
    other.add([unbalanced]);
    // An invoice line's entry balances by construction (each amount is posted once each side), so a
    // line whose tiers cost more than its wholesale shows on the page's sums: the ledger's wholesale
    // is no longer the statements' (the cuts are worked out from the wholesale amounts).
    const invariants = kept(other)
      .cut(channel, new Map())
      .violations.map((v) => v.invariant);
    expect(invariants).toEqual(expect.arrayContaining(['wholesale-split', 'statements-match-ledger']));
  });
});

describe('a late stop, credited in the next run', () => {
  it('rates the credit negative, takes it off the cuts, and still balances', () => {
    // C3 ran all October (billed 310.00 in October's run); its stop at 20 Oct arrived after the freeze.
    // November's run credits 20 Oct–1 Nov: 12 days at 31 vCPU × 10.00 / 31 days = −120.00 wholesale.
    const november = billingPeriod('2026-11', 'UTC');
    const channel = new Channel(snapshot);
    const late: RecordedResourceEvent[] = [
      { ...events[1], freezePeriod: '2026-09' },
      { transactionId: 'stop-C3', resourceId: 'vm-C3', clientId: 'C3', sku: 'VCPU', kind: 'stop', occurredAt: '2026-10-20T00:00:00Z', freezePeriod: '2026-11' },
    ];
    const { segments } = usageForRun({ events: late, lines: [] }, { period: november, firstBilledPeriod: '2026-10' });
    const lines = rateUsage({ segments, pricingFor, channel });
    expect(lines.map((l) => [l.usagePeriod, l.late, l.quantity.toFixed(), str(l.wholesaleAmount), str(l.clientAmount)])).toEqual([
      ['2026-10', true, '-31', '-120.00', '-150.00'],
    ]);
    const cuts = computeCuts({ period: november, currency: 'EUR', lines, channel });
    // D1's volume is −120.00 (credits only): the base rate, 5 %: −6.00. No fee (no usage of November).
    // A2's 50 % of −120.00 = −60.00 is a clawback, operator-funded (carve-outs are for positive cuts).
    expect([str(cuts.distributors[0].gross), str(cuts.agents[0].payout), str(cuts.agents[0].operatorFunded)]).toEqual(['-6.00', '-60.00', '-60.00']);
    // Operator net −120.00 + 6.00 + 60.00 = −54.00.
    expect(str(cuts.operatorNet)).toBe('-54.00');
    expect(checkLedger(buildLedger(lines, cuts), cuts, { allowNegativeCuts: true }).violations).toEqual([]);
    expect(checkLedger(buildLedger(lines, cuts), cuts).violations.map((v) => v.invariant)).toContain('cut-not-negative');
  });
});

describe('volume tiers', () => {
  const version = {
    rate: '0.05',
    volumeTiers: [
      { from: '10000', rate: '0.06' },
      { from: '50000', rate: '0.07' },
    ],
  };
  it('are marginal brackets: each rate on the volume inside its bracket', () => {
    // 5 % up to 10,000 and 6 % above: 12,345.67 → 500.00 + 2,345.67 × 6 % = 500 + 140.7402 = 640.7402.
    expect(tieredCommission(version, new Dec('12345.67')).toFixed()).toBe('640.7402');
    // 60,000: 500 + 40,000 × 6 % + 10,000 × 7 % = 500 + 2,400 + 700 = 3,600.
    expect(tieredCommission(version, new Dec('60000')).toFixed()).toBe('3600');
    expect(tieredCommission(version, new Dec('10000')).toFixed()).toBe('500');
    // Credits only: the base rate, linearly.
    expect(tieredCommission(version, new Dec('-100')).toFixed()).toBe('-5');
    const blended = commissionRate(version, new Dec('60000'));
    expect(blended.numerator * 60000n).toBe(3600n * blended.denominator);
  });

  it('must rise, with rates between 0 and 1', () => {
    const bad = (volumeTiers: { from: string; rate: string }[]) =>
      errorOf(() => new Channel({ ...snapshot, distributorAgreements: [{ id: 'x', distributorId: 'D1', rate: '0.05', volumeTiers, effectiveFrom: START }] }));
    expect(bad([{ from: '0', rate: '0.06' }]).fields[0].field).toBe('distributorAgreements[x].volumeTiers[0].from');
    expect(
      bad([
        { from: '100', rate: '0.06' },
        { from: '100', rate: '0.07' },
      ]).fields[0].field,
    ).toBe('distributorAgreements[x].volumeTiers[1].from');
    expect(bad([{ from: '100', rate: '1.5' }]).fields[0].field).toBe('distributorAgreements[x].volumeTiers[0].rate');
  });
});

describe('the channel', () => {
  it('refuses two versions of one owner in force at once', () => {
    const overlapping = { ...snapshot, assignments: [...snapshot.assignments, { resellerId: 'R3', distributorId: 'D2', effectiveFrom: MOVE }] };
    expect(errorOf(() => new Channel(overlapping)).code).toBe('BILLING_OVERLAPPING_VERSIONS');
  });

  it('counts the first N months in calendar months of the operator’s zone', () => {
    const channel = new Channel({ ...snapshot, timeZone: 'Europe/Amsterdam' });
    // activeSince 10 Oct 2025 12:00Z is 14:00 CEST; 12 months later is 10 Oct 2026 14:00 CEST = 12:00Z.
    expect(channel.boundariesWithin('C4', PERIOD.start, PERIOD.end).map((d) => d.toISOString())).toEqual(['2026-10-10T12:00:00.000Z']);
    expect(channel.attributionAt('C4', new Date('2026-10-10T11:59:59Z')).agentEligible).toBe(true);
    expect(channel.attributionAt('C4', new Date('2026-10-10T12:00:00Z')).agentEligible).toBe(false);
  });
});
