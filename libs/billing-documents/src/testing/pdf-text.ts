import { inflateSync } from 'node:zlib';
import { WIN_ANSI_EXTRA } from '../win-ansi';

const FROM_WIN_ANSI = new Map(Object.entries(WIN_ANSI_EXTRA).map(([unicode, byte]) => [byte, String.fromCodePoint(Number(unicode))]));

/**
 * The text of a PDF that pdfkit wrote with its standard fonts, one string per text-showing
 * operator (`Tj`, `TJ`), in drawing order. A small extractor for tests: it inflates the content
 * streams and decodes the WinAnsi hex strings pdfkit writes; enough to check what a PDF says
 * without a PDF library.
 */
export function pdfTextRuns(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const runs: string[] = [];
  const streams = /<<([^]*?)>>\s*stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = streams.exec(source))) {
    const dictionary = match[1];
    const start = match.index + match[0].length;
    const end = source.indexOf('endstream', start);
    let bytes = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(dictionary)) {
      try {
        bytes = inflateSync(bytes);
      } catch {
        continue; // not a content stream we can read (e.g. an image)
      }
    }
    const content = bytes.toString('latin1');
    for (const op of content.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?[\d.]+)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]) : [op[2]];
      runs.push(hexes.map(decodeHex).join(''));
    }
    streams.lastIndex = end;
  }
  return runs;
}

/** All the text of the PDF, runs joined by newlines. */
export function pdfText(pdf: Buffer): string {
  return pdfTextRuns(pdf).join('\n');
}

function decodeHex(hex: string): string {
  let text = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const byte = parseInt(hex.slice(i, i + 2), 16);
    text += FROM_WIN_ANSI.get(byte) ?? String.fromCharCode(byte);
  }
  return text;
}
