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
  return sortedBalances(addBalances(new Map(), ledger.entries));
}

/** Adds entries' postings into sums per entry kind and account (a ledger summed as it is built, in parts). */
export function addBalances(into: Map<string, LedgerBalance>, entries: readonly JournalEntry[]): Map<string, LedgerBalance> {
  for (const entry of entries) {
    for (const posting of entry.postings) {
      const key = balanceKey(entry.kind, posting.account);
      const row = into.get(key);
      into.set(key, { entryKind: entry.kind, account: posting.account, amount: row ? row.amount.add(posting.amount) : posting.amount });
    }
  }
  return into;
}

/** The key of a sum in `addBalances`' map. */
export function balanceKey(kind: EntryKind, account: string): string {
  return `${kind}\u0000${account}`;
}

/** The sums of `addBalances`, zero sums left out, sorted by entry kind and account. */
export function sortedBalances(sums: ReadonlyMap<string, LedgerBalance>): LedgerBalance[] {
  return [...sums.values()]
    .filter((row) => !row.amount.isZero())
    .sort((a, b) => (a.entryKind === b.entryKind ? (a.account < b.account ? -1 : 1) : a.entryKind < b.entryKind ? -1 : 1));
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
    for (const row of balances) byKind.set(row.entryKind, [...(byKind.get(row.entryKind) ?? []), row]);
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
