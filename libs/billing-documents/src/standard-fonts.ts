/**
 * pdfkit parses a standard font's metrics (its AFM: glyph widths and some 2,700 kerning pairs)
 * afresh for every document that uses the font, about a millisecond a font: a month's e-mails
 * spent more time there than on their tables. The metrics never change, so documents share them:
 * each document still gets its own font object (its own resource name and PDF dictionary, which
 * pdfkit embeds when the document ends), built around the metrics an earlier document parsed.
 *
 * This reaches into pdfkit 0.20's font cache (`_fontFamilies`, `_fontCount`), which its typings do
 * not show; when those are not as expected, `useStandardFont` is plain `pdf.font(name)`.
 */

/** What pdfkit's StandardFont holds besides its document, id and dictionary. */
interface StandardFontMetrics {
  name: string;
  font: object;
  ascender: number;
  descender: number;
  bbox: number[];
  lineGap: number;
  xHeight: number;
  capHeight: number;
}

interface PdfkitFonts {
  _font?: (StandardFontMetrics & { document?: unknown }) | null;
  _fontFamilies?: Record<string, unknown>;
  _fontCount?: number;
}

/** Per font name: the prototype of pdfkit's StandardFont and the metrics a first document parsed (never the document). */
const parsed = new Map<string, { prototype: object; metrics: StandardFontMetrics }>();

/** `pdf.font(name)` for a standard PDF font (Helvetica, Helvetica-Bold, …), parsing its metrics once per process. */
export function useStandardFont(pdf: PDFKit.PDFDocument, name: string): void {
  const internals = pdf as unknown as PdfkitFonts;
  const known = parsed.get(name);
  if (known && internals._fontFamilies && !internals._fontFamilies[name] && typeof internals._fontCount === 'number') {
    internals._fontCount += 1;
    // A fresh font for this document: its own id, no dictionary yet, not embedded.
    internals._fontFamilies[name] = Object.assign(Object.create(known.prototype) as object, known.metrics, { document: pdf, id: `F${internals._fontCount}` });
  }
  pdf.font(name);
  if (known) return;
  const font = internals._font;
  if (font && font.name === name && font.document === pdf && typeof font.font === 'object' && typeof font.ascender === 'number') {
    const { font: afm, ascender, descender, bbox, lineGap, xHeight, capHeight } = font;
    parsed.set(name, {
      prototype: Object.getPrototypeOf(font) as object,
      metrics: { name, font: afm, ascender, descender, bbox, lineGap, xHeight, capHeight },
    });
  }
}
