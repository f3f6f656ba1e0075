/**
 * PDF's standard fonts (Helvetica here) encode text in WinAnsi (Windows-1252): Latin-1 plus a few
 * typographic characters. The PDF shows what that covers and a "?" for anything else (the e-mail
 * and the CSV carry every character), rather than the garbage a standard font would print.
 */
export const WIN_ANSI_EXTRA: Record<number, number> = {
  0x20ac: 0x80,
  0x201a: 0x82,
  0x0192: 0x83,
  0x201e: 0x84,
  0x2026: 0x85,
  0x2020: 0x86,
  0x2021: 0x87,
  0x02c6: 0x88,
  0x2030: 0x89,
  0x0160: 0x8a,
  0x2039: 0x8b,
  0x0152: 0x8c,
  0x017d: 0x8e,
  0x2018: 0x91,
  0x2019: 0x92,
  0x201c: 0x93,
  0x201d: 0x94,
  0x2022: 0x95,
  0x2013: 0x96,
  0x2014: 0x97,
  0x02dc: 0x98,
  0x2122: 0x99,
  0x0161: 0x9a,
  0x203a: 0x9b,
  0x0153: 0x9c,
  0x017e: 0x9e,
  0x0178: 0x9f,
};

/** The WinAnsi byte that shows a code point: a space for a control, undefined when the standard fonts cannot show it. */
export function winAnsiByte(code: number): number | undefined {
  if (code < 0x20 || code === 0x7f) return 0x20;
  if (code < 0x7f || (code >= 0xa0 && code <= 0xff)) return code;
  return WIN_ANSI_EXTRA[code];
}

/** Text with every character the standard fonts cannot show replaced by "?" (controls by spaces). */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const byte = winAnsiByte(code);
    out += byte === undefined ? '?' : byte === code || byte >= 0x80 ? char : ' ';
  }
  return out;
}
