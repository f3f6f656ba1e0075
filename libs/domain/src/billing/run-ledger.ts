import { Money, type CurrencyCode } from '../money';
import type { EntryKind, JournalEntry, Ledger } from './ledger';

/**
 * A run's ledger is built page by page (a page of clients: its rated lines, its cuts with the run's
 * volumes, and a close of its own, so each page's ledger balances and passes every invariant by
 * itself) and kept as balances per (entry kind, account). The run's ledger is the sum of the pages'.
 */
export interface LedgerBalance {
  entryKind: EntryKind;
  account: string;
  amount: Money;
}

/** A ledger summed per entry kind and account (zero sums left out), sorted. */
export function ledgerBalances(ledger: Ledger): LedgerBalance[] {
  return new BalanceSums(ledger.currency).add(ledger.entries).sorted();
}

/**
 * Sums per entry kind and account of a ledger built in parts (a page's invoice lines, slice by
 * slice): each account's amounts are kept and summed once, when asked (one pass over many terms
 * costs far less than a running total's new decimal per posting).
 */
export class BalanceSums {
  private readonly rows = new Map<string, { entryKind: EntryKind; account: string; amounts: Money[]; credits: Money[] }>();

  constructor(private readonly currency: CurrencyCode) {}

  add(entries: readonly JournalEntry[]): this {
    for (const entry of entries) for (const posting of entry.postings) this.addAmount(entry.kind, posting.account, posting.amount);
    return this;
  }

  /** A posting of `amount`, or with `credit` of −`amount` (summed apart and subtracted once: no negated copy per posting). */
  addAmount(entryKind: EntryKind, account: string, amount: Money, credit = false): this {
    const key = `${entryKind}\u0000${account}`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { entryKind, account, amounts: [], credits: [] }));
    (credit ? row.credits : row.amounts).push(amount);
    return this;
  }

  /** The sums, zero sums left out, sorted by entry kind and account. */
  sorted(): LedgerBalance[] {
    return [...this.rows.values()]
      .map((row) => {
        const debits = Money.sum(row.amounts, this.currency);
        return { entryKind: row.entryKind, account: row.account, amount: row.credits.length ? debits.sub(Money.sum(row.credits, this.currency)) : debits };
      })
      .filter((row) => !row.amount.isZero())
      .sort((a, b) => (a.entryKind === b.entryKind ? (a.account < b.account ? -1 : 1) : a.entryKind < b.entryKind ? -1 : 1));
  }
}

/**
 * The run's ledger from its pages' balances: one entry per page and entry kind, whose postings are
 * the page's sums. Sums of balanced entries balance, so `checkLedger` over it checks the run's
 * totals (both splits, the close, the statements against the ledger); the per-entry invariants
 * (carve-outs per client, no negative cut) were checked on each page's own ledger.
 */
export function ledgerFromBalances(period: string, currency: CurrencyCode, pages: ReadonlyArray<{ page: number; balances: readonly LedgerBalance[] }>): Ledger {
  const entries: JournalEntry[] = [];
  for (const { page, balances } of pages) {
    const byKind = new Map<EntryKind, LedgerBalance[]>();
    for (const row of balances) {
      const rows = byKind.get(row.entryKind);
      if (rows) rows.push(row);
      else byKind.set(row.entryKind, [row]);
    }
    for (const [kind, rows] of [...byKind].sort(([a], [b]) => (a < b ? -1 : 1))) {
      entries.push({
        id: `page:${page}:${kind}`,
        kind,
        description: `page ${page}: ${kind} entries`,
        sourceId: `page:${page}`,
        clientId: null,
        postings: rows.map((row) => ({ account: row.account, amount: row.amount })),
      });
    }
  }
  return { period, currency, entries };
}

/** Σ of money amounts given as decimal strings (what a database returns), in `currency`. */
export function sumAmounts(amounts: readonly string[], currency: string): Money {
  return Money.sum(
    amounts.map((a) => Money.of(a, currency)),
    currency,
  );
}
