import PDFDocument from 'pdfkit';
import { useStandardFont } from './standard-fonts';

/** A two-font document, its fonts opened by `open`; deterministic (fixed dates). */
function draw(open: (pdf: PDFKit.PDFDocument, name: string) => void): Promise<Buffer> {
  const date = new Date('2026-11-01T00:00:00Z');
  const pdf = new PDFDocument({ size: 'A4', font: null as unknown as string, info: { CreationDate: date, ModDate: date } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  open(pdf, 'Helvetica');
  pdf.text('AVAWAY Wörld, kerned and wrapped by pdfkit itself', 40, 40, { width: 120 });
  open(pdf, 'Helvetica-Bold');
  pdf.text('Total payable 1,234.50 €', 40, 120);
  pdf.addPage();
  open(pdf, 'Helvetica');
  pdf.text('page two', 40, 40);
  pdf.end();
  return done;
}

describe('useStandardFont', () => {
  it("writes the same bytes as pdfkit's own font loading, on first use and with the metrics shared", async () => {
    const plain = await draw((pdf, name) => pdf.font(name));
    const first = await draw(useStandardFont);
    const shared = await draw(useStandardFont);
    const another = await draw(useStandardFont);
    expect(first.equals(plain)).toBe(true);
    expect(shared.equals(plain)).toBe(true);
    expect(another.equals(plain)).toBe(true);
    // Each document embeds its own font dictionaries.
    const text = shared.toString('latin1');
    expect(text).toContain('/BaseFont /Helvetica\n');
    expect(text).toContain('/BaseFont /Helvetica-Bold\n');
  });
});
