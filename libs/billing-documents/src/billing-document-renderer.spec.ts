import { isDomainError } from '@wholesail/domain';
import { MailRenderer } from '@wholesail/mail';
import { parse } from 'csv-parse/sync';
import { BillingDocumentRenderer, type RenderedBillingDocument } from './billing-document-renderer';
import { pdfText, pdfTextRuns } from './testing/pdf-text';
import { agentPayout, clientInvoice, creditNote, distributorPayout, SAMPLE_PARTIES, wholesaleInvoice } from './testing/sample-documents';

const renderer = new BillingDocumentRenderer(new MailRenderer({ publicUrl: 'http://localhost:3000' }), {
  timeZone: 'Europe/Amsterdam',
  publicUrl: 'http://localhost:3000',
});
const attachment = (rendered: RenderedBillingDocument, type: string) => rendered.attachments.find((a) => a.contentType.startsWith(type))!;
const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isDomainError(error)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('BillingDocumentRenderer', () => {
  describe("a distributor's payout invoice", () => {
    const document = distributorPayout(3);
    let rendered: RenderedBillingDocument;
    beforeAll(async () => {
      rendered = await renderer.renderDocument(document);
    });

    it("goes to the operator's finance address, in the operator's brand", () => {
      expect(rendered.template).toBe('payout-invoice');
      expect(rendered.to).toBe('finance@wholesail.test');
      expect(rendered.fromName).toBe('Wholesail Cloud');
      expect(rendered.html).toContain('background-color:#0b5cab');
      expect(rendered.html).toContain('src="https://wholesail.test/logo.png"');
      expect(rendered.subject).toBe('Payout invoice NORTHWIND-PAY-000007 from Northwind Distribution for October 2026: 314.96 EUR');
      const { lines: _lines, ...header } = document;
      expect(renderer.envelope(header)).toEqual({ template: 'payout-invoice', to: rendered.to, fromName: rendered.fromName, subject: rendered.subject });
    });

    it('shows period, number, agreement version and rate, a line per reseller with its client count, fees, carve-outs and totals', () => {
      for (const [part, shown] of [
        [rendered.text, (value: string) => value],
        [rendered.html, escapeHtml],
      ] as const) {
        expect(part).toContain('October 2026');
        expect(part).toContain('NORTHWIND-PAY-000007');
        expect(part).toContain('Agreement version of 1 January 2026');
        expect(part).toContain('5 % of wholesale revenue, 6 % above 10,000.00 EUR, plus 2.00 EUR per active client');
        expect(part).toContain('Bob Agent on Hooli');
        expect(part).toContain('-3.07');
        for (let r = 1; r <= 3; r += 1) expect(part).toContain(shown(`Reseller ${r} & Co`));
      }
      expect(rendered.text).toContain('Type: Commission | Reseller / agent: Reseller 2 & Co | Clients: 4 | Basis: 2,000.10 | Rate: 5 % | Amount (EUR): 100.01');
      expect(rendered.text).toContain('Type: Fee | Reseller / agent: Reseller 3 & Co | Clients: 4 | Amount (EUR): 8.00');
      expect(rendered.text).toContain('Commission: 300.03 EUR');
      expect(rendered.text).toContain('Fee: 18.00 EUR');
      expect(rendered.text).toContain('Gross: 318.03 EUR');
      expect(rendered.text).toContain('Carve-outs to agents: -3.07 EUR');
      expect(rendered.text).toContain('Total payable: 314.96 EUR');
    });

    it('attaches a PDF and a CSV named after the number', () => {
      expect(rendered.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ['NORTHWIND-PAY-000007.pdf', 'application/pdf'],
        ['NORTHWIND-PAY-000007.csv', 'text/csv; charset=utf-8'],
      ]);
      expect(rendered.text).toContain('NORTHWIND-PAY-000007.pdf');
    });

    it('says the same in the PDF: number, period, every line, the total', () => {
      const pdf = attachment(rendered, 'application/pdf').content as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(pdf);
      expect(text).toContain('Payout invoice NORTHWIND-PAY-000007');
      expect(text).toContain('October 2026');
      expect(text).toContain('Reseller 3 & Co');
      expect(text).toContain('Bob Agent on Hooli');
      expect(pdfTextRuns(pdf)).toEqual(expect.arrayContaining(['Total payable', '314.96 EUR', '-3.07', '2,000.10']));
    });

    it('lists the lines in the CSV with the amounts as stored, adding up to the total', () => {
      const records = parse((attachment(rendered, 'text/csv').content as Buffer).toString('utf8'), { columns: true }) as Record<string, string>[];
      expect(records.map((r) => r.amount)).toEqual(document.lines.map((l) => l.amount));
      expect(records.map((r) => r.clientCount)).toEqual(document.lines.map((l) => (l.clientCount === null ? '' : String(l.clientCount))));
    });
  });

  it("renders an agent's payout with a line per client", async () => {
    const rendered = await renderer.renderDocument(agentPayout(4));
    expect(rendered.text).toContain('Client: Client 4 | Basis: 103.50 | Rate: 2 % | Amount (EUR): 5.01');
    expect(rendered.text).toContain("2 % of wholesale revenue, for a client's first 12 months");
    expect(rendered.text).toContain('Total payable: 14.04 EUR');
    expect(pdfTextRuns(rendered.attachments[0]!.content as Buffer)).toEqual(expect.arrayContaining(['Client 4', '14.04 EUR']));
  });

  it("brands a client invoice with its reseller's brand and sends it to the client's billing contact", async () => {
    const rendered = await renderer.renderDocument(clientInvoice(3));
    expect(rendered).toMatchObject({ template: 'client-invoice', to: 'ap@umbrella.test', fromName: 'Acme MSP' });
    expect(rendered.html).toContain('background-color:#7c3aed');
    expect(rendered.html).toContain('src="https://acme.test/logo.png"');
    expect(rendered.html).not.toContain('#0b5cab');
    expect(rendered.text).toContain('(late usage of 2026-09)');
    expect(rendered.text).toContain('Total due: 16.85 EUR');
  });

  it('renders wholesale invoices and credit notes', async () => {
    const wholesale = await renderer.renderDocument(wholesaleInvoice(3));
    expect(wholesale).toMatchObject({ template: 'wholesale-invoice', to: 'billing@acme.test', fromName: 'Wholesail Cloud' });
    expect(wholesale.text).toContain('Client: Client 1');
    const credit = await renderer.renderDocument(creditNote());
    expect(credit).toMatchObject({ template: 'credit-note', to: 'ap@umbrella.test' });
    expect(credit.text).toContain('Total credited: -12.40 EUR');
    expect(credit.text).toContain('Corrects: document doc-ACME-MSP-INV-000041');
  });

  it('escapes what partners type: names, descriptions, brand fields', async () => {
    const document = clientInvoice(2);
    document.issuer = {
      ...SAMPLE_PARTIES.reseller,
      name: 'Acme <script>alert(1)</script>',
      branding: {
        ...SAMPLE_PARTIES.reseller.branding,
        displayName: '<b>Acme</b>',
        primaryColor: 'red;background:url(javascript:x)',
        logoUrl: 'javascript:alert(1)',
      },
    };
    document.lines[0]!.description = '<img src=x onerror=alert(1)> "quoted" & more';
    const rendered = await renderer.renderDocument(document);
    expect(rendered.html).not.toMatch(/<script|<img src=x|<b>Acme|javascript:/);
    expect(rendered.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &quot;quoted&quot; &amp; more');
    expect(rendered.html).toContain('Acme &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rendered.text).toContain('<img src=x onerror=alert(1)> "quoted" & more');
    expect(pdfText(rendered.attachments[0]!.content as Buffer)).toContain('<img src=x onerror=alert(1)> "quoted" & more');
  });

  it('gives the same PDF bytes for the same document, and other bytes for another', async () => {
    const first = (await renderer.renderDocument(distributorPayout(40))).attachments[0]!.content as Buffer;
    const second = (await renderer.renderDocument(distributorPayout(40))).attachments[0]!.content as Buffer;
    expect(first.equals(second)).toBe(true);
    const other = (await renderer.renderDocument(distributorPayout(40, 'NORTHWIND-PAY-000008'))).attachments[0]!.content as Buffer;
    expect(other.equals(first)).toBe(false);
  });

  it('spreads long documents over pages with the table header on each, and cuts the e-mail table short', async () => {
    const document = agentPayout(250);
    const rendered = await renderer.renderDocument(document);
    const runs = pdfTextRuns(rendered.attachments[0]!.content as Buffer);
    expect(runs.filter((run) => run === 'Basis').length).toBeGreaterThan(3);
    expect(runs).toEqual(expect.arrayContaining(['Client 1', 'Client 250', 'ALICE-PAY-000003 · Alice Agent · page 5']));
    expect(rendered.text).toContain('Client: Client 100 |');
    expect(rendered.text).not.toContain('Client: Client 101 |');
    expect(rendered.text).toContain('and 150 more lines in the attachments');
    const csv = parse((rendered.attachments[1]!.content as Buffer).toString('utf8'), { columns: true }) as unknown[];
    expect(csv).toHaveLength(250);
  });

  it('refuses a document whose lines do not add up to its totals, naming the figure', async () => {
    const document = distributorPayout(2);
    document.totals.total = '999.99';
    const error = await failure(renderer.renderDocument(document));
    expect(error.code).toBe('BILLING_DOCUMENT_TOTALS_MISMATCH');
    expect(error.message).toContain('total: lines give');
    const missingLine = agentPayout(3);
    missingLine.lines.pop();
    expect((await failure(renderer.renderDocument(missingLine))).message).toContain('lineCount');
  });

  it('refuses drafts and documents without an address', async () => {
    const draft = { ...clientInvoice(1), status: 'draft' as const, number: null };
    expect((await failure(renderer.renderDocument(draft))).code).toBe('BILLING_DOCUMENT_NOT_FINAL');
    const nowhere = { ...clientInvoice(1), deliverTo: null };
    expect((await failure(renderer.renderDocument(nowhere))).code).toBe('BILLING_DOCUMENT_NO_RECIPIENT');
  });
});
