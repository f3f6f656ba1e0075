import type { BillingDocumentLine } from '@wholesail/contracts';
import { type ResolvedBranding } from '@wholesail/mail';
import PDFDocument from 'pdfkit';
import type { DocumentFact } from './document-facts';
import type { BillingDocumentHeader, DocumentLayout } from './document-layout';
import type { TotalRow } from './document-totals';
import { useStandardFont } from './standard-fonts';
import { toWinAnsi, WIN_ANSI_EXTRA, winAnsiByte } from './win-ansi';

export const PDF_CONTENT_TYPE = 'application/pdf';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 40;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const BOTTOM = PAGE.height - MARGIN - 20;
const ROW_HEIGHT = 14;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const GREY = '#6b7280';
const INK = '#111827';
const RULE = '#e5e7eb';

export interface DocumentPdfOptions {
  branding: ResolvedBranding;
  facts: DocumentFact[];
  layout: DocumentLayout;
}

/**
 * A document's PDF, drawn with pdfkit as its lines stream in: the issuer's band (its colours and
 * name; a remote logo is not fetched, so rendering needs no network and gives the same bytes every
 * time), the facts, the table of lines over as many A4 pages as it takes (the table header repeated
 * on each), then the totals.
 *
 * Deterministic: the creation date is the document's issue date, the file ID pdfkit derives from
 * the info dictionary, and nothing else varies, so a document always renders to the same bytes.
 */
export class DocumentPdf {
  private readonly pdf: PDFKit.PDFDocument;
  private readonly done: Promise<Buffer>;
  private y = 0;
  private page = 1;

  constructor(
    private readonly document: BillingDocumentHeader,
    private readonly options: DocumentPdfOptions,
  ) {
    const date = new Date(document.issuedAt ?? document.finalisedAt ?? document.createdAt);
    const title = `${options.layout.title} ${document.number ?? '(draft)'}`;
    this.pdf = new PDFDocument({
      size: 'A4',
      // No default font: pdfkit would parse Helvetica's metrics again for every document (see standard-fonts.ts).
      font: null as unknown as string,
      margin: MARGIN,
      compress: true,
      autoFirstPage: true,
      bufferPages: false,
      info: {
        Title: toWinAnsi(title),
        Author: toWinAnsi(document.issuer.name),
        Subject: toWinAnsi(`${options.layout.title} for ${document.period}`),
        Creator: 'Wholesail',
        Producer: 'Wholesail',
        CreationDate: date,
        ModDate: date,
      },
    });
    const chunks: Buffer[] = [];
    this.done = new Promise((resolve, reject) => {
      this.pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.pdf.on('end', () => resolve(Buffer.concat(chunks)));
      this.pdf.on('error', reject);
    });
    useStandardFont(this.pdf, FONT);
    this.drawHead(title);
    this.drawTableHeader();
  }

  add(lines: readonly BillingDocumentLine[]): void {
    const { layout } = this.options;
    for (const line of lines) this.addRow(layout.cells(line));
    this.flush();
  }

  /** One line of the table, as its cells (`layout.cells(line)`), for a caller that needs them too. */
  addRow(cells: readonly string[]): void {
    if (this.y + ROW_HEIGHT > BOTTOM) this.newPage();
    this.row(cells, FONT, INK);
    this.rule(this.y + ROW_HEIGHT - 2);
    this.y += ROW_HEIGHT;
  }

  /** Draws the totals and closes the document: resolves with its bytes. */
  finish(totals: readonly TotalRow[]): Promise<Buffer> {
    if (this.y + 12 + totals.length * (ROW_HEIGHT + 2) > BOTTOM) this.newPage(false);
    this.y += 12;
    const labelWidth = 200;
    const valueWidth = 130;
    const x = MARGIN + CONTENT_WIDTH - labelWidth - valueWidth;
    for (const total of totals) {
      const font = total.grand ? BOLD : FONT;
      this.text(total.label, x, this.y, labelWidth, 'left', font, total.grand ? 11 : 9, INK);
      this.text(total.value, x + labelWidth, this.y, valueWidth, 'right', font, total.grand ? 11 : 9, INK);
      this.y += total.grand ? ROW_HEIGHT + 4 : ROW_HEIGHT + 2;
    }
    this.drawFooter();
    this.flush();
    this.pdf.end();
    return this.done;
  }

  private drawHead(title: string): void {
    const { branding, facts } = this.options;
    const pdf = this.pdf;
    this.flush();
    pdf.rect(0, 0, PAGE.width, 4).fill(branding.accentColor);
    pdf.rect(0, 4, PAGE.width, 56).fill(branding.primaryColor);
    this.current.color = '';
    this.text(branding.displayName, MARGIN, 22, CONTENT_WIDTH, 'left', BOLD, 18, branding.onPrimaryColor);

    this.text(title, MARGIN, 80, CONTENT_WIDTH, 'left', BOLD, 16, INK);
    this.y = 108;
    const valueWidth = CONTENT_WIDTH - 175;
    for (const fact of facts) {
      this.text(fact.label, MARGIN, this.y, 170, 'left', FONT, 9, GREY);
      this.use(FONT, 9, INK);
      // A value that fits on one line is written directly; a longer one is wrapped by pdfkit.
      if (this.fits(fact.value, FONT, 9, valueWidth)) {
        this.text(fact.value, MARGIN + 175, this.y, valueWidth, 'left', FONT, 9, INK);
        this.y += ROW_HEIGHT;
        continue;
      }
      this.flush();
      const height = pdf.heightOfString(toWinAnsi(fact.value), { width: valueWidth });
      pdf.text(toWinAnsi(fact.value), MARGIN + 175, this.y, { width: valueWidth });
      this.y += Math.max(ROW_HEIGHT, height + 3);
    }
    const issuerLines = [branding.legalName, ...branding.addressLines, branding.supportEmail ?? ''].filter(Boolean);
    if (issuerLines.length) {
      this.y += 4;
      this.text(issuerLines.join(' · '), MARGIN, this.y, CONTENT_WIDTH, 'left', FONT, 8, GREY);
      this.y += ROW_HEIGHT;
    }
    this.y += 10;
  }

  private drawTableHeader(): void {
    const { branding, layout } = this.options;
    this.flush();
    this.pdf.rect(MARGIN, this.y - 3, CONTENT_WIDTH, ROW_HEIGHT + 2).fill(branding.primaryColor);
    this.current.color = '';
    this.row(
      layout.columns.map((column) => column.label),
      BOLD,
      branding.onPrimaryColor,
    );
    this.y += ROW_HEIGHT + 2;
  }

  private newPage(withTableHeader = true): void {
    this.drawFooter();
    this.flush();
    this.pdf.addPage();
    this.current = { font: '', size: 0, color: '' };
    this.ruleStyled = false;
    this.page += 1;
    this.y = MARGIN;
    this.text(`${this.options.layout.title} ${this.document.number ?? ''} (continued)`, MARGIN, this.y, CONTENT_WIDTH, 'left', BOLD, 10, INK);
    this.y += ROW_HEIGHT + 6;
    if (withTableHeader) this.drawTableHeader();
  }

  private drawFooter(): void {
    const label = `${this.document.number ?? 'draft'} · ${this.document.issuer.name} · page ${this.page}`;
    // Below the bottom margin pdfkit would start a new page for the text: lift the margin for it.
    const margins = this.pdf.page.margins;
    const bottom = margins.bottom;
    margins.bottom = 0;
    this.text(label, MARGIN, PAGE.height - MARGIN + 4, CONTENT_WIDTH, 'center', FONT, 7, GREY);
    this.flush();
    margins.bottom = bottom;
  }

  private row(cells: readonly string[], font: string, color: string): void {
    let x = MARGIN;
    this.options.layout.columns.forEach((column, index) => {
      this.text(cells[index] ?? '', x + 2, this.y, column.width - 4, column.align, font, 8, color);
      x += column.width;
    });
  }

  /** A thin rule under a table row, in the page's batch of operators (stroke colour and width set once a page). */
  private rule(y: number): void {
    if (!this.ruleStyled) {
      this.flush();
      this.pdf.strokeColor(RULE).lineWidth(0.5);
      this.ruleStyled = true;
    }
    this.ruleOps.push(`${MARGIN} ${num(y)} m ${num(MARGIN + CONTENT_WIDTH)} ${num(y)} l`);
  }

  /**
   * One line of text in a box of the given width, cut with an ellipsis when it does not fit. Text
   * that fits is written directly as PDF operators (pdfkit's line wrapper is slow, and a document
   * has thousands of cells); only text that overflows goes through it. Font, size and colour are
   * set only when they change, and widths come from a per-character table (kerning left out: a
   * fraction of a point).
   */
  private text(value: string, x: number, y: number, width: number, align: 'left' | 'right' | 'center', font: string, size: number, color: string): void {
    if (!value) return;
    this.use(font, size, color);
    const { hex, units } = this.encode(value, font);
    const textWidth = units * size;
    if (textWidth > width * 0.98) {
      this.flush();
      this.pdf.text(toWinAnsi(value), x, y, { width, height: size + 2, align, ellipsis: true });
      return;
    }
    const offset = align === 'right' ? width - textWidth : align === 'center' ? (width - textWidth) / 2 : 0;
    if (!this.showText(hex, x + offset, y, size)) {
      this.flush();
      this.pdf.text(toWinAnsi(value), x + offset, y, { lineBreak: false });
    }
  }

  /**
   * Writes one run of text as PDF operators (Td … Tj in WinAnsi hex), which is what pdfkit's
   * text() ends in, without its per-call layout, measuring and kerning. Runs in the same font and
   * size share one text object (BT … ET, each run placed relative to the one before), and the
   * operators go to pdfkit in one write (see `flush`). The page's y axis points down (pdfkit's base
   * transform); text is written in an upright frame like pdfkit's own. False when pdfkit's
   * internals are not as expected (then the caller uses text()).
   */
  private showText(hex: string, x: number, y: number, size: number): boolean {
    const pdf = this.pdf as unknown as PdfkitInternals;
    const font = pdf._font;
    if (!font || typeof font.ref !== 'function' || typeof font.ascender !== 'number' || !pdf.page?.fonts) return false;
    if (pdf.page.fonts[font.id] == null) pdf.page.fonts[font.id] = font.ref();
    if (this.textRun?.font !== font.id || this.textRun.size !== size) {
      this.endTextRun();
      this.textOps.push(`q 1 0 0 -1 0 ${num(PAGE.height)} cm BT /${font.id} ${num(size)} Tf`);
      this.textRun = { font: font.id, size, x: 0, y: 0 };
    }
    // In hundredths of a point, so that moves relative to the last run add up exactly.
    const left = Math.round(x * 100);
    const baseline = Math.round((PAGE.height - y - (font.ascender / 1000) * size) * 100);
    this.textOps.push(`${(left - this.textRun.x) / 100} ${(baseline - this.textRun.y) / 100} Td <${hex}> Tj`);
    this.textRun.x = left;
    this.textRun.y = baseline;
    return true;
  }

  /** Text operators and table rules written since pdfkit last wrote: they go to the page before pdfkit writes again. */
  private readonly textOps: string[] = [];
  private readonly ruleOps: string[] = [];
  /** The open text object, if any: its font and size, and where its last run starts (hundredths of a point). */
  private textRun: { font: string; size: number; x: number; y: number } | undefined;
  private ruleStyled = false;

  private endTextRun(): void {
    if (this.textRun === undefined) return;
    this.textOps.push('ET Q');
    this.textRun = undefined;
  }

  /**
   * Hands the batched operators to pdfkit as one chunk (its own per-call conversion is slow): the
   * rules as one path, then the text (they never overlap, so the order between them does not show).
   */
  private flush(): void {
    this.endTextRun();
    if (!this.textOps.length && !this.ruleOps.length) return;
    if (this.ruleOps.length) this.textOps.unshift(this.ruleOps.join(' ') + ' S');
    this.textOps.push('');
    this.pdf.addContent(Buffer.from(this.textOps.join('\n'), 'latin1'));
    this.textOps.length = 0;
    this.ruleOps.length = 0;
  }

  private current = { font: '', size: 0, color: '' };

  private use(font: string, size: number, color: string): void {
    if (font === this.current.font && size === this.current.size && color === this.current.color) return;
    this.flush();
    if (font !== this.current.font) useStandardFont(this.pdf, font);
    if (size !== this.current.size) this.pdf.fontSize(size);
    if (color !== this.current.color) this.pdf.fillColor(color);
    this.current = { font, size, color };
  }

  /** Whether text fits on one line of the width (with room for the kerning the measure leaves out); the font must be the current one. */
  private fits(value: string, font: string, size: number, width: number): boolean {
    return this.encode(value, font).units * size <= width * 0.98;
  }

  /** The WinAnsi hex of a text and its width at size 1, in one pass; the font must be the current one. */
  private encode(text: string, font: string): { hex: string; units: number } {
    let widths = CHARACTER_WIDTHS.get(font);
    if (!widths) CHARACTER_WIDTHS.set(font, (widths = new Float64Array(256).fill(NaN)));
    let hex = '';
    let units = 0;
    for (const char of text) {
      const byte = winAnsiByte(char.codePointAt(0)!) ?? QUESTION_MARK;
      let unit = widths[byte]!;
      if (Number.isNaN(unit)) {
        const size = this.current.size;
        unit = widths[byte] = this.pdf.widthOfString(WIN_ANSI_CHARACTERS[byte]!) / size;
      }
      units += unit;
      hex += HEX[byte];
    }
    return { hex, units };
  }
}

/** The parts of pdfkit 0.20 that text() writes through (not in its typings). */
interface PdfkitInternals {
  _font?: { id: string; ascender: number; ref: () => unknown };
  page?: { fonts: Record<string, unknown> };
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

const QUESTION_MARK = 0x3f;

/** Two hex digits per byte. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The character each WinAnsi byte shows (what pdfkit measures). */
const WIN_ANSI_CHARACTERS: string[] = Array.from({ length: 256 }, (_, byte) => String.fromCharCode(byte));
for (const [code, byte] of Object.entries(WIN_ANSI_EXTRA)) WIN_ANSI_CHARACTERS[byte] = String.fromCodePoint(Number(code));

/** Width at size 1 of each WinAnsi byte, per standard font (the same in every document); NaN until measured. */
const CHARACTER_WIDTHS = new Map<string, Float64Array>();
