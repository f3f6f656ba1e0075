import { Money, type CurrencyCode } from '../money';
import type { Channel } from './channel';
import { CutBases, cutsFromBases, type PeriodCuts } from './commission';
import { assertBilledIn, cutEntries, forEachInvoiceLinePosting, invoiceLineEntryId, type EntryKind, type Ledger } from './ledger';
import { checkLedger, unroundedPosting, type LedgerViolation } from './ledger-invariants';
import type { BillingPeriod } from './period';
import type { RatedLine } from './rating';
import { BalanceSums, ledgerFromBalances } from './run-ledger';

/**
 * A page of a run's clients, as its rating leaves it for its cuts: the rated lines' cut bases (sums
 * per client and attribution), their invoice-line entries summed per account (each entry checked
 * on its own first), and whether any line is a late correction. The cuts of the page, computed
 * later with the run's volumes, need nothing else: no rated line is read back. Stored as JSON.
 */
export class RatedPage {
  private readonly bases: CutBases;
  private readonly balances: BalanceSums;
  private hasLate = false;
  private readonly violations: LedgerViolation[] = [];

  constructor(
    private readonly period: BillingPeriod,
    private readonly currency: CurrencyCode,
  ) {
    this.bases = new CutBases(period.id, currency);
    this.balances = new BalanceSums(currency);
  }

  /**
   * Gathers a part of the page's rated lines (a page is rated in slices). Each invoice line's entry
   * is checked for postings finer than the minor unit here; that each balances is checked on their
   * sum, in `cut` (one unbalanced entry unbalances it).
   */
  add(lines: readonly RatedLine[]): void {
    this.bases.add(lines);
    // Each line's invoice-line entry (`invoiceLineEntries`), straight into the sums: its postings,
    // zero ones left out as the entry leaves them, each checked for the minor unit.
    for (const line of lines) {
      assertBilledIn(line, this.period.id);
      forEachInvoiceLinePosting(line, (account, amount, credit) => {
        if (amount.isZero()) return;
        if (!amount.isRoundedToMinor())
          this.violations.push(unroundedPosting(invoiceLineEntryId(line), { account, amount: credit ? amount.negated() : amount }));
        this.balances.addAmount('invoice-line', account, amount, credit);
      });
      this.hasLate ||= line.late;
    }
  }

  /**
   * The page's cuts with the run's volumes, its ledger (the invoice lines' sums, each cut entry, the
   * page's close) and every violation: the invoice lines' own, found as they were rated, and the
   * page ledger's (late corrections may credit a cut).
   */
  cut(channel: Channel, volumes: ReadonlyMap<string, Money>): { cuts: PeriodCuts; ledger: Ledger; violations: LedgerViolation[] } {
    const cuts = cutsFromBases({ period: this.period, currency: this.currency, channel, volumes, bases: this.bases.list() });
    const invoiceLines = ledgerFromBalances(this.period.id, this.currency, [{ page: 0, balances: this.balances.sorted() }]);
    const ledger: Ledger = { period: this.period.id, currency: this.currency, entries: [...invoiceLines.entries, ...cutEntries(cuts)] };
    const check = checkLedger(ledger, cuts, { allowNegativeCuts: this.hasLate });
    return { cuts, ledger, violations: [...this.violations, ...check.violations] };
  }

  toJSON(): StoredRatedPage {
    return {
      bases: this.bases.list().map((b) => ({
        clientId: b.clientId,
        ...b.attribution,
        wholesaleAmount: b.wholesaleAmount.toString(),
        clientAmount: b.clientAmount.toString(),
        resellerMargin: b.resellerMargin.toString(),
        ratedLineCount: b.ratedLineCount,
        used: b.used,
      })),
      balances: this.balances.sorted().map((b) => ({ entryKind: b.entryKind, account: b.account, amount: b.amount.toString() })),
      late: this.hasLate,
      violations: this.violations,
    };
  }

  static fromJSON(stored: StoredRatedPage, period: BillingPeriod, currency: CurrencyCode): RatedPage {
    const page = new RatedPage(period, currency);
    const money = (amount: string) => Money.of(amount, currency);
    for (const b of stored.bases) {
      const attribution = {
        distributorId: b.distributorId,
        distributorAgreementId: b.distributorAgreementId,
        agentId: b.agentId,
        agentAgreementId: b.agentAgreementId,
        agentEligible: b.agentEligible,
      };
      page.bases.addBasis({
        clientId: b.clientId,
        attribution,
        wholesaleAmount: money(b.wholesaleAmount),
        clientAmount: money(b.clientAmount),
        resellerMargin: money(b.resellerMargin),
        ratedLineCount: b.ratedLineCount,
        used: b.used,
      });
    }
    for (const b of stored.balances) page.balances.addAmount(b.entryKind, b.account, money(b.amount));
    page.hasLate = stored.late;
    page.violations.push(...stored.violations);
    return page;
  }
}

/** `RatedPage` as JSON (money as exact decimal strings). */
export interface StoredRatedPage {
  bases: Array<{
    clientId: string;
    distributorId: string | null;
    distributorAgreementId: string | null;
    agentId: string | null;
    agentAgreementId: string | null;
    agentEligible: boolean;
    wholesaleAmount: string;
    clientAmount: string;
    resellerMargin: string;
    ratedLineCount: number;
    used: boolean;
  }>;
  balances: Array<{ entryKind: EntryKind; account: string; amount: string }>;
  late: boolean;
  violations: LedgerViolation[];
}
