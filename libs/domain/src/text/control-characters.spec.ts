import fc from 'fast-check';
import { findControlCharacters, hasControlCharacters, stripControlCharacters } from './control-characters';

describe('control characters', () => {
  it('flags C0 controls and DEL but not TAB, LF, CR or ordinary text', () => {
    for (let code = 0; code < 0x20; code++) expect(hasControlCharacters(`a${String.fromCharCode(code)}b`)).toBe(![9, 10, 13].includes(code));
    expect(hasControlCharacters('a\u007fb')).toBe(true);
    expect(hasControlCharacters('Grüße, ünïcödé — €5 \u00a0 \u2028')).toBe(false);
  });

  it('names every offending string and key by its field path', () => {
    const problems = findControlCharacters({ name: 'ok', lines: [{ sku: 'VCPU' }, { sku: 'R\u0000AM' }], ['k\u0001']: 'x', tags: ['a', 'b\u001b'] }, '');
    expect(problems.map((p) => p.field)).toEqual(['lines[1].sku', 'k\\u0001', 'tags[1]']);
    expect(findControlCharacters(['x', 'y\u0000'], 'q').map((p) => p.field)).toEqual(['q[1]']);
    expect(findControlCharacters('a\u0000', 'sku').map((p) => p.field)).toEqual(['sku']);
    expect(findControlCharacters({ a: 1, b: null, c: true }, '')).toEqual([]);
  });

  it('strips to text that has none left and keeps everything else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const stripped = stripControlCharacters(text);
        expect(hasControlCharacters(stripped)).toBe(false);
        const isControl = (c: string) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;
        expect(stripped.replace(/[\t\n\r]/g, '')).toBe([...text].filter((c) => !isControl(c)).join(''));
      }),
      { numRuns: 100 },
    );
  });
});
