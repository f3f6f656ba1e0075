import { exceedsJsonDepth } from './json-body';

const depthOf = (text: string, max: number) => exceedsJsonDepth(Buffer.from(text), max);

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, not brackets in strings', () => {
    expect(depthOf('{"a":{"b":[1,[2]]}}', 4)).toBe(false);
    expect(depthOf('{"a":{"b":[1,[2]]}}', 3)).toBe(true);
    expect(depthOf(`{"a":"${'{['.repeat(100)}"}`, 1)).toBe(false);
    expect(depthOf('{"a":"quote \\" then {{{{"}', 1)).toBe(false);
    expect(depthOf('{"a":"backslash \\\\"}', 1)).toBe(false);
    expect(depthOf('{"a":"backslash \\\\","b":{"c":{}}}', 2)).toBe(true);
  });

  it('agrees with the real depth of generated JSON', () => {
    for (let depth = 1; depth < 40; depth++) {
      let value: unknown = 'leaf "{["';
      for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { k: value };
      const text = JSON.stringify(value);
      expect(depthOf(text, depth)).toBe(false);
      expect(depthOf(text, depth - 1)).toBe(true);
    }
  });
});
