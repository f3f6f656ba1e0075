import type { BillingDocument, BillingDocumentLine, BillingLineKind } from '@wholesail/contracts';
import { formatDecimal, formatRate } from './document-figures';
import { isCurrencyCode, minorDigits } from '@wholesail/domain';

/** A document without its lines: what the renderers need before the first page of lines. */
export type BillingDocumentHeader = Omit<BillingDocument, 'lines'>;

export interface LayoutColumn {
  label: string;
  align: 'left' | 'right';
  /** Width in the PDF, in points (the table spans 515 pt of an A4 page with 40 pt margins). */
  width: number;
}

/** The table of lines as the e-mail and the PDF both show it: columns, and the cells of a line. */
export interface DocumentLayout {
  title: string;
  columns: LayoutColumn[];
  cells(line: BillingDocumentLine): string[];
}

export const LINE_KIND_LABELS: Record<BillingLineKind, string> = {
  usage: 'Usage',
  'late-usage': 'Late usage',
  commission: 'Commission',
  fee: 'Fee',
  'carve-out': 'Carve-out',
  'agent-commission': 'Commission',
  correction: 'Correction',
};

export const DOCUMENT_TITLES: Record<BillingDocument['kind'], string> = {
  'client-invoice': 'Invoice',
  'wholesale-invoice': 'Wholesale invoice',
  'payout-invoice': 'Payout invoice',
  'credit-note': 'Credit note',
};

const col = (label: string, width: number, align: LayoutColumn['align'] = 'left'): LayoutColumn => ({ label, width, align });

/**
 * Columns by kind of document (and, for payouts, of issuer): a distributor's payout lists its
 * commission and fee per reseller with the client count, and the carve-outs per agent; an agent's,
 * its commission per client; invoices, their usage; credit notes, their corrections. Amounts are
 * shown in the document's currency, which the header names, so the columns carry no code.
 */
export function documentLayout(document: BillingDocumentHeader): DocumentLayout {
  const minor = isCurrencyCode(document.currency) ? minorDigits(document.currency) : 2;
  const money = (value: string | null, field: string): string => (value === null ? '' : formatDecimal(value, minor, field));
  const rate = (value: string | null): string => (value === null ? '' : formatRate(value, 'line.rate'));
  const count = (value: number | null): string => (value === null ? '' : formatDecimal(String(value)));
  const quantity = (line: BillingDocumentLine): string => {
    const shown = line.proratedQuantity ?? line.quantity;
    return shown === null ? '' : `${formatDecimal(shown, 0, 'line.quantity')}${line.unit ? ` ${line.unit}` : ''}`;
  };
  const title = DOCUMENT_TITLES[document.kind];
  const amountLabel = `Amount (${document.currency})`;

  switch (document.kind) {
    case 'payout-invoice':
      if (document.issuer.kind === 'agent') {
        return {
          title,
          columns: [col('#', 24), col('Client', 221), col('Basis', 100, 'right'), col('Rate', 70, 'right'), col(amountLabel, 100, 'right')],
          cells: (line) => [
            String(line.position),
            line.clientName ?? line.description,
            money(line.basis, 'line.basis'),
            rate(line.rate),
            money(line.amount, 'line.amount'),
          ],
        };
      }
      return {
        title,
        columns: [
          col('#', 24),
          col('Type', 60),
          col('Reseller / agent', 151),
          col('Clients', 45, 'right'),
          col('Basis', 80, 'right'),
          col('Rate', 55, 'right'),
          col(amountLabel, 100, 'right'),
        ],
        cells: (line) => [
          String(line.position),
          LINE_KIND_LABELS[line.kind],
          line.kind === 'carve-out'
            ? `${line.agentName ?? 'Agent'}${line.clientName ? ` on ${line.clientName}` : ''}`
            : (line.resellerName ?? line.description),
          count(line.clientCount),
          money(line.basis, 'line.basis'),
          rate(line.rate),
          money(line.amount, 'line.amount'),
        ],
      };
    case 'wholesale-invoice':
      return {
        title,
        columns: [
          col('#', 24),
          col('Client', 116),
          col('Description', 170),
          col('Quantity', 70, 'right'),
          col('Unit price', 60, 'right'),
          col(amountLabel, 75, 'right'),
        ],
        cells: (line) => [
          String(line.position),
          line.clientName ?? '',
          describe(line),
          quantity(line),
          line.unitPrice === null ? '' : formatDecimal(line.unitPrice, minor, 'line.unitPrice'),
          money(line.amount, 'line.amount'),
        ],
      };
    case 'client-invoice':
      return {
        title,
        columns: [col('#', 24), col('Description', 236), col('Quantity', 85, 'right'), col('Unit price', 75, 'right'), col(amountLabel, 95, 'right')],
        cells: (line) => [
          String(line.position),
          describe(line),
          quantity(line),
          line.unitPrice === null ? '' : formatDecimal(line.unitPrice, minor, 'line.unitPrice'),
          money(line.amount, 'line.amount'),
        ],
      };
    case 'credit-note':
      return {
        title,
        columns: [col('#', 24), col('Description', 271), col('Client', 120), col(amountLabel, 100, 'right')],
        cells: (line) => [String(line.position), line.description, line.clientName ?? '', money(line.amount, 'line.amount')],
      };
  }
}

/** Late usage says when it happened: "vCPU × 4 (late usage of 2026-09)". */
function describe(line: BillingDocumentLine): string {
  return line.kind === 'late-usage' && line.usagePeriod ? `${line.description} (late usage of ${line.usagePeriod})` : line.description;
}
