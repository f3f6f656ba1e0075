import type { BillingDocumentLine, BillingLineKind } from '@wholesail/contracts';
import { DomainError, Money } from '@wholesail/domain';
import { BillingDocumentErrorCode } from './billing-documents-errors';
import { formatAmount } from './document-figures';
import { type BillingDocumentHeader, LINE_KIND_LABELS } from './document-layout';

export interface TotalRow {
  label: string;
  /** Formatted with the currency: "1,234.50 EUR". */
  value: string;
  /** The figure the document comes to. */
  grand: boolean;
}

/**
 * Adds up a document's lines as they stream past (exact decimals) and, at the end, checks them
 * against the document's own totals: the line count, gross = Σ lines but carve-outs, deductions =
 * −Σ carve-outs, total = gross − deductions. A document whose figures do not agree is never sent
 * (BILLING_DOCUMENT_TOTALS_MISMATCH); one that does shows its subtotals by kind and its totals.
 */
export class DocumentTotals {
  private lineCount = 0;
  private readonly byKind = new Map<BillingLineKind, Money>();

  constructor(private readonly document: BillingDocumentHeader) {}

  add(lines: readonly BillingDocumentLine[]): void {
    for (const line of lines) {
      this.lineCount += 1;
      const amount = Money.of(line.amount, this.document.currency, `lines[${line.position}].amount`);
      this.byKind.set(line.kind, (this.byKind.get(line.kind) ?? Money.zero(this.document.currency)).add(amount));
    }
  }

  /** Checks the sums and returns the rows to show: a subtotal per kind of line (when there are several), then the totals. */
  rows(): TotalRow[] {
    const { currency, totals } = this.document;
    const zero = Money.zero(currency);
    const carveOuts = this.byKind.get('carve-out') ?? zero;
    const gross = Money.sum(
      [...this.byKind].filter(([kind]) => kind !== 'carve-out').map(([, sum]) => sum),
      currency,
    );
    const expected = {
      lineCount: String(this.lineCount),
      gross: gross.toString(),
      deductions: zero.sub(carveOuts).toString(),
      total: gross.add(carveOuts).toString(),
    };
    const stated = {
      lineCount: String(totals.lineCount),
      gross: Money.of(totals.gross, currency, 'totals.gross').toString(),
      deductions: Money.of(totals.deductions, currency, 'totals.deductions').toString(),
      total: Money.of(totals.total, currency, 'totals.total').toString(),
    };
    const wrong = (Object.keys(expected) as (keyof typeof expected)[]).filter((key) => expected[key] !== stated[key]);
    if (wrong.length) {
      throw new DomainError(
        BillingDocumentErrorCode.TotalsMismatch,
        `document ${this.document.number ?? this.document.id}: its lines do not add up to its totals (${wrong
          .map((key) => `${key}: lines give ${expected[key]}, the document says ${stated[key]}`)
          .join('; ')})`,
        wrong.map((key) => ({ field: `totals.${key}`, problem: `must be ${expected[key]} (the sum of the lines), is ${stated[key]}` })),
      );
    }

    const show = (amount: string | Money): string => formatAmount(amount.toString(), currency);
    const rows: TotalRow[] = [];
    const kinds = [...this.byKind.keys()];
    if (kinds.length > 1) {
      for (const kind of kinds.filter((k) => k !== 'carve-out'))
        rows.push({ label: LINE_KIND_LABELS[kind], value: show(this.byKind.get(kind)!), grand: false });
    }
    if (this.byKind.has('carve-out')) {
      rows.push({ label: 'Gross', value: show(totals.gross), grand: false });
      rows.push({ label: 'Carve-outs to agents', value: show(carveOuts), grand: false });
    }
    rows.push({
      label: this.document.kind === 'credit-note' ? 'Total credited' : this.document.kind === 'payout-invoice' ? 'Total payable' : 'Total due',
      value: show(totals.total),
      grand: true,
    });
    return rows;
  }
}
