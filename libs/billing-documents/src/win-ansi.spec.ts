import { toWinAnsi, winAnsiByte } from './win-ansi';

describe('WinAnsi', () => {
  it('keeps Latin-1 and the typographic extras, shows controls as spaces and anything else as "?"', () => {
    expect(toWinAnsi('Müller & Co – “Prix” 12,50 €…\tend\u007f日本😀')).toBe('Müller & Co – “Prix” 12,50 €… end ???');
  });

  it('gives the byte a standard font shows each character with', () => {
    expect(winAnsiByte('A'.codePointAt(0)!)).toBe(0x41);
    expect(winAnsiByte('é'.codePointAt(0)!)).toBe(0xe9);
    expect(winAnsiByte('€'.codePointAt(0)!)).toBe(0x80);
    expect(winAnsiByte('”'.codePointAt(0)!)).toBe(0x94);
    expect(winAnsiByte(0x0a)).toBe(0x20);
    expect(winAnsiByte(0x85)).toBeUndefined();
    expect(winAnsiByte('日'.codePointAt(0)!)).toBeUndefined();
  });
});
