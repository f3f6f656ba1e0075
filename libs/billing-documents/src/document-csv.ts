import type { BillingDocument, BillingDocumentLine } from '@wholesail/contracts';

/**
 * CSV of a document's lines (RFC 4180): a header row, CRLF line ends, fields quoted when they hold
 * a comma, a quote or a line break (quotes doubled). Figures are the decimal strings exactly as
 * stored ("1234.50", "-3.07", "0.013125"): no grouping, no rounding.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with = + - @,
 * a tab or a carriage return as a formula. Such a cell gets a leading single quote, which shows as
 * text. Plain decimal numbers ("-3.07") are the one exception: they cannot run anything and must
 * stay numbers for finance.
 */
export const CSV_COLUMNS = [
  'documentNumber',
  'position',
  'kind',
  'description',
  'clientId',
  'clientName',
  'resellerId',
  'resellerName',
  'agentId',
  'agentName',
  'clientCount',
  'sku',
  'unit',
  'usagePeriod',
  'from',
  'to',
  'quantity',
  'proratedQuantity',
  'unitPrice',
  'basis',
  'rate',
  'agreementId',
  'correctsLineId',
  'amount',
  'currency',
] as const;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const NUMBER = /^-?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, made safe for spreadsheets and quoted as RFC 4180 requires. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its CRLF. */
export function csvRecord(fields: ReadonlyArray<string | number | null | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export type CsvDocumentHeader = Pick<BillingDocument, 'number' | 'currency'>;

/** The CSV of a document, built page by page of lines (the header row first). */
export class DocumentCsv {
  private readonly parts: string[] = [];

  constructor(private readonly document: CsvDocumentHeader) {
    this.parts.push(csvRecord(CSV_COLUMNS));
  }

  add(lines: readonly BillingDocumentLine[]): void {
    for (const line of lines) {
      this.parts.push(
        csvRecord([
          this.document.number,
          line.position,
          line.kind,
          line.description,
          line.clientId,
          line.clientName,
          line.resellerId,
          line.resellerName,
          line.agentId,
          line.agentName,
          line.clientCount,
          line.sku,
          line.unit,
          line.usagePeriod,
          line.from,
          line.to,
          line.quantity,
          line.proratedQuantity,
          line.unitPrice,
          line.basis,
          line.rate,
          line.agreementId,
          line.correctsLineId,
          line.amount,
          this.document.currency,
        ]),
      );
    }
  }

  /** UTF-8 without a byte-order mark (RFC 4180's header must be the first bytes); the content type says the charset. */
  toBuffer(): Buffer {
    return Buffer.from(this.parts.join(''), 'utf8');
  }
}
