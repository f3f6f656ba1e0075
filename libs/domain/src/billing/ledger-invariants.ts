import { Money, type CurrencyCode } from '../money';
import type { AgentStatement, DistributorStatement, PeriodCuts } from './commission';
import { accountKind, accountOwner, type AccountKind, type JournalEntry, type Ledger, type Posting } from './ledger';

/**
 * The invariants checked at the end of every run, recomputed from the ledger's postings alone (and
 * compared with the statements when given), so a bug in how a run books its figures shows up as a
 * named violation with the amounts, never as a silent difference.
 */
export const LEDGER_INVARIANTS = [
  /** Every entry's postings sum to zero. */
  'entry-balanced',
  /** Every posting is rounded to the currency's minor unit. */
  'posting-rounded',
  /** Σ client invoices = Σ reseller margins + Σ wholesale. */
  'client-invoices-split',
  /** Σ wholesale = operator net + Σ distributor cuts + Σ operator-funded agent cuts. */
  'wholesale-split',
  /** A distributor's carve-outs never exceed its cut on the client they are carved from. */
  'carve-out-within-cut',
  /** No cut is negative (outside late corrections, which may credit). */
  'cut-not-negative',
  /** After the close, wholesale revenue and the commission expenses balance to zero. */
  'period-closed',
  /** The statements' figures are the ledger's (payouts, invoices, net). */
  'statements-match-ledger',
] as const;
export type LedgerInvariant = (typeof LEDGER_INVARIANTS)[number];

export interface LedgerViolation {
  invariant: LedgerInvariant;
  message: string;
  /** What the left side of the invariant came to, and the right side. */
  expected: string;
  actual: string;
  /** The entry, account or party concerned. */
  subject: string;
}

export interface LedgerCheck {
  ok: boolean;
  violations: LedgerViolation[];
  totals: {
    clientInvoices: string;
    resellerMargins: string;
    wholesale: string;
    operatorNet: string;
    distributorCuts: string;
    operatorFundedAgentCuts: string;
    carveOuts: string;
  };
}

/**
 * The statements' figures the ledger is compared with: a run's `PeriodCuts`, or the same figures
 * summed from its documents (client invoices, margins, wholesale, net, each payout).
 */
export type StatementFigures = Pick<PeriodCuts, 'clientInvoices' | 'resellerMargins' | 'wholesale' | 'operatorNet'> & {
  distributors: ReadonlyArray<Pick<DistributorStatement, 'distributorId' | 'payout'>>;
  agents: ReadonlyArray<Pick<AgentStatement, 'agentId' | 'payout'>>;
};

/** Entries whose postings do not sum to zero (every entry must balance). */
export function unbalancedEntries(entries: readonly JournalEntry[], currency: CurrencyCode): LedgerViolation[] {
  const violations: LedgerViolation[] = [];
  for (const entry of entries) {
    const total = Money.sum(
      entry.postings.map((p) => p.amount),
      currency,
    );
    if (!total.isZero())
      violations.push({
        invariant: 'entry-balanced',
        subject: entry.id,
        expected: Money.zero(currency).toString(),
        actual: total.toString(),
        message: `entry ${entry.id} does not balance: its postings sum to ${total.toString()}`,
      });
  }
  return violations;
}

/**
 * Postings finer than the currency's minor unit (every posting must be whole minor units). A run
 * checks this on each invoice line's entry as it rates (it keeps only those entries' sums; that the
 * entries balance is checked on their sum, which a single unbalanced entry unbalances).
 */
export function unroundedPostings(entries: readonly JournalEntry[]): LedgerViolation[] {
  const violations: LedgerViolation[] = [];
  for (const entry of entries) {
    for (const posting of entry.postings) {
      if (!posting.amount.isRoundedToMinor()) violations.push(unroundedPosting(entry.id, posting));
    }
  }
  return violations;
}

/** The violation of a posting finer than the minor unit (`posting.amount` is not rounded to it). */
export function unroundedPosting(entryId: string, posting: Posting): LedgerViolation {
  return {
    invariant: 'posting-rounded',
    subject: entryId,
    expected: posting.amount.roundToMinor().toString(),
    actual: posting.amount.toString(),
    message: `entry ${entryId} posts ${posting.amount.toString()} to ${posting.account}, finer than the minor unit`,
  };
}

export function checkLedger(ledger: Ledger, cuts?: StatementFigures, options: { allowNegativeCuts?: boolean } = {}): LedgerCheck {
  const zero = Money.zero(ledger.currency);
  const violations: LedgerViolation[] = [];
  const violate = (invariant: LedgerInvariant, subject: string, expected: Money, actual: Money, message: string) =>
    violations.push({ invariant, subject, expected: expected.toString(), actual: actual.toString(), message });

  violations.push(...unbalancedEntries(ledger.entries, ledger.currency), ...unroundedPostings(ledger.entries));

  // One pass over the postings: the amounts of each account kind (of every entry, and of the entries
  // before the close) and of each party's payable account, which the sums below and each payout's
  // comparison add up, instead of a pass over the ledger per sum.
  const byKind = new Map<AccountKind, { all: Money[]; open: Money[] }>();
  const payables = new Map<string, Money[]>();
  for (const e of ledger.entries) {
    const open = e.kind !== 'close';
    for (const p of e.postings) {
      const kind = accountKind(p.account);
      let amounts = byKind.get(kind);
      if (!amounts) byKind.set(kind, (amounts = { all: [], open: [] }));
      amounts.all.push(p.amount);
      if (open) amounts.open.push(p.amount);
      if (kind === 'distributor-commission-payable' || kind === 'agent-commission-payable') {
        const key = `${kind}|${accountOwner(p.account)}`;
        const owned = payables.get(key);
        if (owned) owned.push(p.amount);
        else payables.set(key, [p.amount]);
      }
    }
  }
  const sumOf = (kind: AccountKind, which: 'all' | 'open' = 'all') => Money.sum(byKind.get(kind)?.[which] ?? [], ledger.currency);
  const payable = (kind: AccountKind, owner: string) => Money.sum(payables.get(`${kind}|${owner}`) ?? [], ledger.currency);
  const negate = (m: Money) => m.negated();

  const clientInvoices = sumOf('client-receivable');
  const sales = negate(sumOf('reseller-sales'));
  const purchases = sumOf('reseller-purchases');
  const resellerMargins = sales.sub(purchases);
  const wholesale = negate(sumOf('wholesale-revenue', 'open'));
  const operatorNet = negate(sumOf('operator-net'));
  const distributorCuts = sumOf('distributor-commission-expense', 'open');
  const operatorFundedAgentCuts = sumOf('agent-commission-expense', 'open');
  const carveOuts = Money.sum(
    ledger.entries
      .filter((e) => e.kind === 'agent-commission')
      .flatMap((e) => e.postings.filter((p) => accountKind(p.account) === 'distributor-commission-payable').map((p) => p.amount)),
    ledger.currency,
  );

  const marginsPlusWholesale = resellerMargins.add(wholesale);
  if (!clientInvoices.equals(marginsPlusWholesale)) {
    violate(
      'client-invoices-split',
      ledger.period,
      marginsPlusWholesale,
      clientInvoices,
      `Σ client invoices ${clientInvoices.toString()} ≠ Σ reseller margins ${resellerMargins.toString()} + Σ wholesale ${wholesale.toString()}`,
    );
  }
  const split = operatorNet.add(distributorCuts).add(operatorFundedAgentCuts);
  if (!wholesale.equals(split)) {
    violate(
      'wholesale-split',
      ledger.period,
      split,
      wholesale,
      `Σ wholesale ${wholesale.toString()} ≠ operator net ${operatorNet.toString()} + Σ distributor cuts ${distributorCuts.toString()} + Σ operator-funded agent cuts ${operatorFundedAgentCuts.toString()}`,
    );
  }

  // Carve-outs, per distributor and client: what agents took ≤ what the distributor earned there.
  const earned = new Map<string, Money>();
  const carved = new Map<string, Money>();
  for (const entry of ledger.entries) {
    for (const posting of entry.postings) {
      if (accountKind(posting.account) !== 'distributor-commission-payable') continue;
      const key = `${accountOwner(posting.account)} on ${entry.clientId}`;
      const into = entry.kind === 'agent-commission' ? carved : earned;
      into.set(key, (into.get(key) ?? zero).add(entry.kind === 'agent-commission' ? posting.amount : negate(posting.amount)));
    }
  }
  for (const [key, amount] of carved) {
    const cut = earned.get(key) ?? zero;
    const limit = cut.isNegative() ? zero : cut;
    if (limit.lessThan(amount))
      violate('carve-out-within-cut', key, limit, amount, `carve-outs of ${amount.toString()} from distributor ${key} exceed its cut of ${cut.toString()}`);
  }

  if (!options.allowNegativeCuts) {
    for (const entry of ledger.entries) {
      if (entry.kind === 'invoice-line' || entry.kind === 'close') continue;
      for (const posting of entry.postings) {
        const kind = accountKind(posting.account);
        // The earner's payable is credited with its cut; the funder's side (expense, carve-out) is debited.
        const credited = kind === 'agent-commission-payable' || (kind === 'distributor-commission-payable' && entry.kind !== 'agent-commission');
        const cut = credited ? negate(posting.amount) : posting.amount;
        if (cut.isNegative())
          violate('cut-not-negative', entry.id, zero, cut, `entry ${entry.id} books a negative amount ${cut.toString()} on ${posting.account}`);
      }
    }
  }

  for (const kind of ['wholesale-revenue', 'distributor-commission-expense', 'agent-commission-expense'] as const) {
    const left = sumOf(kind);
    if (!left.isZero()) violate('period-closed', kind, zero, left, `${kind} has ${left.toString()} left after the close`);
  }

  if (cuts) {
    const compare = (subject: string, statement: Money, booked: Money) => {
      if (!statement.equals(booked))
        violate(
          'statements-match-ledger',
          subject,
          statement,
          booked,
          `${subject}: the statement says ${statement.toString()}, the ledger ${booked.toString()}`,
        );
    };
    compare('client invoices', cuts.clientInvoices, clientInvoices);
    compare('reseller margins', cuts.resellerMargins, resellerMargins);
    compare('wholesale', cuts.wholesale, wholesale);
    compare('operator net', cuts.operatorNet, operatorNet);
    for (const d of cuts.distributors)
      compare(`payout of distributor ${d.distributorId}`, d.payout, negate(payable('distributor-commission-payable', d.distributorId)));
    for (const a of cuts.agents) compare(`payout of agent ${a.agentId}`, a.payout, negate(payable('agent-commission-payable', a.agentId)));
  }

  return {
    ok: violations.length === 0,
    violations,
    totals: {
      clientInvoices: clientInvoices.toString(),
      resellerMargins: resellerMargins.toString(),
      wholesale: wholesale.toString(),
      operatorNet: operatorNet.toString(),
      distributorCuts: distributorCuts.toString(),
      operatorFundedAgentCuts: operatorFundedAgentCuts.toString(),
      carveOuts: carveOuts.toString(),
    },
  };
}
