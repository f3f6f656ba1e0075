import { CopyData } from './sql';

describe('CopyData', () => {
  it('holds the rows as COPY sends them: UTF-8, a newline after each, across chunks, a row longer than a chunk whole', () => {
    const rows = [
      ...Array.from({ length: 30_000 }, (_, i) => `row ${i}\tÉcole ${'x'.repeat(i % 97)}\t€ 12.50\t🚀`),
      'y'.repeat(3 * 1024 * 1024),
      'after the long one\t\\N',
    ];
    const data = CopyData.of(rows);
    expect(data.rows).toBe(rows.length);
    const buffers = data.buffers();
    // More than one chunk, and the bytes are exactly the joined rows'.
    expect(buffers.length).toBeGreaterThan(2);
    expect(Buffer.concat(buffers).equals(Buffer.from(rows.join('\n') + '\n', 'utf8'))).toBe(true);
    expect(data.lines()).toEqual(rows);
  });

  it('is empty until a row is added', () => {
    const data = new CopyData();
    expect(data.rows).toBe(0);
    expect(data.buffers()).toEqual([]);
    expect(data.lines()).toEqual([]);
    data.push('');
    expect(data.lines()).toEqual(['']);
    expect(Buffer.concat(data.buffers()).toString()).toBe('\n');
  });
});
