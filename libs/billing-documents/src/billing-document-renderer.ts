import type { BillingBranding, BillingDocument, BillingDocumentLine } from '@wholesail/contracts';
import { DomainError } from '@wholesail/domain';
import { type BillingDocumentMailData, type MailAttachment, MailRenderer, resolveBranding } from '@wholesail/mail';
import { BillingDocumentErrorCode } from './billing-documents-errors';
import { CSV_CONTENT_TYPE, DocumentCsv } from './document-csv';
import { type DocumentFact, documentFacts } from './document-facts';
import { formatAmount, formatDecimal, formatPeriod } from './document-figures';
import { type BillingDocumentHeader, documentLayout, DOCUMENT_TITLES } from './document-layout';
import { DocumentPdf, PDF_CONTENT_TYPE } from './document-pdf';
import { DocumentTotals } from './document-totals';

export type BillingDocumentTemplate = 'payout-invoice' | 'client-invoice' | 'wholesale-invoice' | 'credit-note';

/** Lines a page at a time, in position order: a document's lines are never all in memory. */
export type LinePages = AsyncIterable<readonly BillingDocumentLine[]>;

export interface RenderedBillingDocument {
  template: BillingDocumentTemplate;
  to: string;
  /** The sender's display name: the brand the mail carries. */
  fromName: string;
  subject: string;
  html: string;
  text: string;
  /** The PDF, then the CSV. */
  attachments: MailAttachment[];
}

export interface BillingDocumentRendererOptions {
  /** IANA zone of the dates shown (the operator's). */
  timeZone: string;
  /** Footer link when the brand has no website (PUBLIC_URL). */
  publicUrl?: string;
  /** Rows the e-mail's table shows at most; the attachments carry every line. */
  mailRows?: number;
}

export const DEFAULT_MAIL_ROWS = 100;

/**
 * Renders a final billing document for e-mail in one pass over its lines: the mail (subject, HTML
 * and text from the Handlebars template of its kind), a PDF and a CSV of its lines. The brand is
 * the operator's on payout invoices (the operator's finance team receives them; a credit note on a
 * payout likewise), the issuer's on every other document (a client's invoice carries its
 * reseller's brand). The lines must add up to the document's totals, or nothing is rendered.
 */
export class BillingDocumentRenderer {
  private readonly mailRows: number;

  constructor(
    private readonly mail: MailRenderer,
    private readonly options: BillingDocumentRendererOptions,
  ) {
    this.mailRows = options.mailRows ?? DEFAULT_MAIL_ROWS;
  }

  /** Renders a document given whole (tests, previews). */
  renderDocument(document: BillingDocument): Promise<RenderedBillingDocument> {
    const { lines, ...header } = document;
    return this.render(header, pagesOf(lines));
  }

  /** What the e-mail is, before its lines are read: template, recipient, sender name and subject. */
  envelope(document: BillingDocumentHeader): Omit<RenderedBillingDocument, 'html' | 'text' | 'attachments'> {
    assertSendable(document);
    const template = templateOf(document);
    const data = this.mailData(document, documentFacts(document, this.options.timeZone), [], [], 0, []);
    return {
      template,
      to: document.deliverTo!,
      fromName: this.branding(document).displayName,
      subject: this.mail.renderSubject(template, data, brandOf(document)),
    };
  }

  async render(document: BillingDocumentHeader, pages: LinePages): Promise<RenderedBillingDocument> {
    const { template, to, fromName } = this.envelope(document);
    const branding = this.branding(document);
    const layout = documentLayout(document);
    const facts = documentFacts(document, this.options.timeZone);
    const totals = new DocumentTotals(document);
    const csv = new DocumentCsv(document);
    const pdf = new DocumentPdf(document, { branding, facts, layout });
    const rows: BillingDocumentMailData['rows'] = [];
    let lineCount = 0;
    for await (const page of pages) {
      await turn();
      totals.add(page);
      csv.add(page);
      lineCount += page.length;
      // Each line's cells are formatted once, for the PDF and (the first rows) the e-mail's table.
      for (const line of page) {
        const cells = layout.cells(line);
        pdf.addRow(cells);
        if (rows.length < this.mailRows) {
          rows.push({ cells: layout.columns.map((column, index) => ({ label: column.label, value: cells[index] ?? '', numeric: column.align === 'right' })) });
        }
      }
    }
    const totalRows = totals.rows();
    await turn();
    const pdfBytes = await pdf.finish(totalRows);
    await turn();
    const fileName = fileNameOf(document);
    const attachments: MailAttachment[] = [
      { filename: `${fileName}.pdf`, content: pdfBytes, contentType: PDF_CONTENT_TYPE },
      { filename: `${fileName}.csv`, content: csv.toBuffer(), contentType: CSV_CONTENT_TYPE },
    ];
    const data = this.mailData(
      document,
      facts,
      rows,
      totalRows.map(({ label, value, grand }) => ({ label, value, grand })),
      lineCount - rows.length,
      attachments,
    );
    const rendered = this.mail.render(template, data, brandOf(document));
    return { template, to, fromName, subject: rendered.subject, html: rendered.html, text: rendered.text, attachments };
  }

  private branding(document: BillingDocumentHeader) {
    return resolveBranding(brandOf(document), { websiteUrl: this.options.publicUrl });
  }

  private mailData(
    document: BillingDocumentHeader,
    facts: DocumentFact[],
    rows: BillingDocumentMailData['rows'],
    totals: BillingDocumentMailData['totals'],
    moreRows: number,
    attachments: MailAttachment[],
  ): BillingDocumentMailData {
    const layout = documentLayout(document);
    return {
      recipientName: document.recipient.name,
      issuerName: document.issuer.name,
      documentTitle: DOCUMENT_TITLES[document.kind],
      number: document.number!,
      periodLabel: formatPeriod(document.period),
      total: formatAmount(document.totals.total, document.currency, 'totals.total'),
      facts,
      columns: layout.columns.map((column) => ({ label: column.label, numeric: column.align === 'right' })),
      rows,
      ...(moreRows > 0 ? { moreRows: `and ${formatDecimal(String(moreRows))} more lines in the attachments` } : {}),
      totals,
      attachments: attachments.map((attachment) => ({
        fileName: attachment.filename,
        description: attachment.contentType === PDF_CONTENT_TYPE ? 'the document as a PDF' : 'every line as CSV, figures as stored',
      })),
    };
  }
}

/**
 * Lets the event loop run between the stages of a render (a page of lines, the PDF's end, the
 * mail's templates: a few milliseconds each), so that the SMTP connections and queries of the
 * mails in flight in the same process keep moving while a document renders.
 */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Payouts (and credit notes on them) go to the operator's finance team in the operator's brand. */
function brandOf(document: BillingDocumentHeader): BillingBranding | null {
  const issuedByPartner = document.issuer.kind === 'distributor' || document.issuer.kind === 'agent';
  const party = issuedByPartner ? document.recipient : document.issuer;
  return { ...party.branding, displayName: party.branding?.displayName ?? party.name };
}

function templateOf(document: BillingDocumentHeader): BillingDocumentTemplate {
  return document.kind;
}

function assertSendable(document: BillingDocumentHeader): void {
  if (document.status !== 'final' || !document.number) {
    throw DomainError.conflict(BillingDocumentErrorCode.NotFinal, `document ${document.id} is a draft: only final (numbered) documents are sent`);
  }
  if (!document.deliverTo) {
    throw DomainError.invalid(BillingDocumentErrorCode.NoRecipient, 'deliverTo', `is empty: document ${document.number} has no address to send it to`);
  }
}

/** "ACME-MSP-INV-000042" as a file name: letters, digits, dot, dash and underscore only. */
export function fileNameOf(document: Pick<BillingDocumentHeader, 'number' | 'id'>): string {
  return (document.number ?? document.id).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || document.id;
}

async function* pagesOf(lines: readonly BillingDocumentLine[], size = 500): LinePages {
  for (let start = 0; start < lines.length; start += size) yield lines.slice(start, start + size);
}
