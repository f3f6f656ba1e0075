import { DomainError } from '../errors';
import { Money, parseCurrency, type CurrencyCode } from '../money';
import { BillingErrorCode } from './billing-errors';
import type { PeriodCuts } from './commission';
import type { RatedLine } from './rating';

/**
 * The double-entry ledger of a billing run: one journal entry per invoice line, statement line and
 * the period close, every entry balanced (Σ debits = Σ credits). A posting's amount is signed:
 * positive = debit, negative = credit. Accounts are per party; the operator's are owned by
 * `operator`.
 *
 * | account | normal side | moves when |
 * |---|---|---|
 * | `client-receivable:<client>` | debit | the client is invoiced |
 * | `reseller-sales:<reseller>` | credit | a reseller invoices its client or its sub-reseller |
 * | `reseller-purchases:<reseller>` | debit | a reseller is invoiced by its parent or the operator |
 * | `wholesale-revenue:operator` | credit | the operator invoices a top-level reseller |
 * | `distributor-commission-expense:operator` | debit | a distributor earns a commission or fee line |
 * | `agent-commission-expense:operator` | debit | the operator funds an agent's cut |
 * | `distributor-commission-payable:<distributor>` | credit | the distributor earns; debited by carve-outs |
 * | `agent-commission-payable:<agent>` | credit | the agent earns (operator-funded or carved out) |
 * | `operator-net:operator` | credit | the close: wholesale − distributor cuts − operator-funded agent cuts |
 *
 * A reseller's margin is its sales minus its purchases. The close moves the wholesale revenue and
 * both commission expenses into the operator's net, so after it they balance to zero.
 */
export const ACCOUNT_KINDS = [
  'client-receivable',
  'reseller-sales',
  'reseller-purchases',
  'wholesale-revenue',
  'distributor-commission-expense',
  'agent-commission-expense',
  'distributor-commission-payable',
  'agent-commission-payable',
  'operator-net',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const OPERATOR_ACCOUNT_OWNER = 'operator';

export interface Posting {
  account: string;
  /** Positive: debit; negative: credit. */
  amount: Money;
}

export type EntryKind = 'invoice-line' | 'distributor-commission' | 'distributor-fee' | 'agent-commission' | 'close';

export interface JournalEntry {
  id: string;
  kind: EntryKind;
  description: string;
  /** The rated line or statement line it books, for "explain this amount". */
  sourceId: string;
  clientId: string | null;
  postings: Posting[];
}

export interface Ledger {
  period: string;
  currency: CurrencyCode;
  entries: JournalEntry[];
}

export function account(kind: AccountKind, owner: string): string {
  return `${kind}:${owner}`;
}

export function accountKind(name: string): AccountKind {
  return name.slice(0, name.indexOf(':')) as AccountKind;
}

export function accountOwner(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** The run's entries, from its rated lines and its cuts (the same run's). */
export function buildLedger(lines: readonly RatedLine[], cuts: PeriodCuts): Ledger {
  return { period: cuts.period, currency: parseCurrency(cuts.currency), entries: [...invoiceLineEntries(lines, cuts.period), ...cutEntries(cuts)] };
}

/** One entry per rated line: the client's invoice line and, per tier, the seller's sale and the buyer's purchase. */
export function invoiceLineEntries(lines: readonly RatedLine[], period: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of lines) {
    assertBilledIn(line, period);
    const postings: Posting[] = [];
    forEachInvoiceLinePosting(line, (name, amount, credit) => postings.push({ account: name, amount: credit ? negate(amount) : amount }));
    entries.push(
      entry(
        invoiceLineEntryId(line),
        'invoice-line',
        `${line.sku} × ${line.quantity.toFixed()} for ${line.clientId}${line.late ? ` (late, usage of ${line.usagePeriod})` : ''}`,
        line.id,
        line.clientId,
        postings,
      ),
    );
  }
  return entries;
}

/** The id of a rated line's invoice-line entry. */
export function invoiceLineEntryId(line: RatedLine): string {
  return `inv:${line.id}`;
}

/** A rated line belongs to the ledger of the period that bills it. */
export function assertBilledIn(line: RatedLine, period: string): void {
  if (line.billedPeriod !== period) throw DomainError.invalid(BillingErrorCode.InvalidInput, 'lines', `line ${line.id} is not of period ${period}`);
}

/**
 * The postings of a rated line's invoice-line entry, each given to `post` as its account, the
 * amount invoiced and whether it is credited (the posting is then that amount negated): the
 * client's receivable and its reseller's sale, and per tier the buyer's purchase and its seller's
 * sale (the operator's wholesale revenue at tier 0). Zero amounts included (`entry` drops them).
 */
export function forEachInvoiceLinePosting(line: RatedLine, post: (account: string, amount: Money, credit: boolean) => void): void {
  post(account('client-receivable', line.clientId), line.clientAmount, false);
  post(account('reseller-sales', line.resellerIds[line.resellerIds.length - 1]), line.clientAmount, true);
  for (let i = 0; i < line.tiers.length; i++) {
    const tier = line.tiers[i];
    post(account('reseller-purchases', tier.resellerId), tier.costAmount, false);
    post(i === 0 ? account('wholesale-revenue', OPERATOR_ACCOUNT_OWNER) : account('reseller-sales', line.tiers[i - 1].resellerId), tier.costAmount, true);
  }
}

/** The statements' entries (each commission, fee and agent line) and the period's close. */
export function cutEntries(cuts: PeriodCuts): JournalEntry[] {
  const entries: JournalEntry[] = [];
  const op = OPERATOR_ACCOUNT_OWNER;
  for (const statement of cuts.distributors) {
    const payable = account('distributor-commission-payable', statement.distributorId);
    for (const c of statement.commissionLines) {
      entries.push(
        entry(`${c.id}`, 'distributor-commission', `commission of ${c.distributorId} on ${c.clientId}`, c.id, c.clientId, [
          { account: account('distributor-commission-expense', op), amount: c.amount },
          { account: payable, amount: negate(c.amount) },
        ]),
      );
    }
    for (const f of statement.feeLines) {
      entries.push(
        entry(`${f.id}`, 'distributor-fee', `fee of ${f.distributorId} for active client ${f.clientId}`, f.id, f.clientId, [
          { account: account('distributor-commission-expense', op), amount: f.amount },
          { account: payable, amount: negate(f.amount) },
        ]),
      );
    }
  }

  for (const statement of cuts.agents) {
    for (const a of statement.lines) {
      const postings: Posting[] = [
        { account: account('agent-commission-expense', op), amount: a.operatorFunded },
        { account: account('agent-commission-payable', a.agentId), amount: negate(a.amount) },
      ];
      if (a.carvedFrom && !a.carvedOut.isZero()) postings.push({ account: account('distributor-commission-payable', a.carvedFrom), amount: a.carvedOut });
      entries.push(entry(`${a.id}`, 'agent-commission', `cut of agent ${a.agentId} on ${a.clientId}`, a.id, a.clientId, postings));
    }
  }

  entries.push(
    entry(`close:${cuts.period}`, 'close', `close of ${cuts.period}: wholesale less cuts into the operator's net`, cuts.period, null, [
      { account: account('wholesale-revenue', op), amount: cuts.wholesale },
      { account: account('distributor-commission-expense', op), amount: negate(cuts.distributorCuts) },
      { account: account('agent-commission-expense', op), amount: negate(cuts.operatorFundedAgentCuts) },
      { account: account('operator-net', op), amount: negate(cuts.operatorNet) },
    ]),
  );
  return entries;
}

/** Σ postings on one account (positive: a debit balance). */
export function balance(ledger: Ledger, name: string, filter: (entry: JournalEntry) => boolean = () => true): Money {
  return Money.sum(
    ledger.entries.filter(filter).flatMap((e) => e.postings.filter((p) => p.account === name).map((p) => p.amount)),
    ledger.currency,
  );
}

/** Every account with its balance, sorted by name. */
export function trialBalance(ledger: Ledger): Array<{ account: string; balance: Money }> {
  const totals = new Map<string, Money>();
  for (const posting of ledger.entries.flatMap((e) => e.postings)) {
    totals.set(posting.account, (totals.get(posting.account) ?? Money.zero(ledger.currency)).add(posting.amount));
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, amount]) => ({ account: name, balance: amount }));
}

/**
 * "Explain this amount": the entries that make up an account's balance, each with the rated line
 * or statement line it books (and from there the usage, events and import lines).
 */
export function explainAccount(ledger: Ledger, name: string) {
  const entries = ledger.entries
    .map((e) => ({
      entry: e,
      amount: Money.sum(
        e.postings.filter((p) => p.account === name).map((p) => p.amount),
        ledger.currency,
      ),
    }))
    .filter((x) => x.entry.postings.some((p) => p.account === name));
  return {
    account: name,
    balance: balance(ledger, name),
    entries: entries.map(({ entry: e, amount }) => ({ entryId: e.id, kind: e.kind, description: e.description, sourceId: e.sourceId, amount })),
  };
}

function entry(id: string, kind: EntryKind, description: string, sourceId: string, clientId: string | null, postings: Posting[]): JournalEntry {
  return { id, kind, description, sourceId, clientId, postings: postings.filter((p) => !p.amount.isZero()) };
}

function negate(amount: Money): Money {
  return amount.negated();
}
