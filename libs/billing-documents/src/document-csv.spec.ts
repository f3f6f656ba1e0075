import { parse } from 'csv-parse/sync';
import { csvField, CSV_COLUMNS, DocumentCsv } from './document-csv';
import { distributorPayout, sampleLine } from './testing/sample-documents';

describe('document CSV', () => {
  it('quotes as RFC 4180 requires', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
  });

  it.each([
    ['=HYPERLINK("http://evil.test","click")', `"'=HYPERLINK(""http://evil.test"",""click"")"`],
    ['+1+cmd|/C calc!A0', "'+1+cmd|/C calc!A0"],
    ['-2+3+cmd|/C calc!A0', "'-2+3+cmd|/C calc!A0"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tleading tab', "'\tleading tab"],
    ['\r=1', `"'\r=1"`],
  ])('defuses the formula %j', (cell, written) => {
    expect(csvField(cell)).toBe(written);
  });

  it('keeps decimal strings exactly as stored, negative ones too', () => {
    expect(csvField('-3.07')).toBe('-3.07');
    expect(csvField('0.013125')).toBe('0.013125');
    expect(csvField('1234.50')).toBe('1234.50');
  });

  it('writes a header and one record per line, which parse back to the same values', () => {
    const document = distributorPayout(2);
    document.lines[0]!.resellerName = '=cmd|"/C calc"!A0, "Ltd"\nsecond line';
    const csv = new DocumentCsv(document);
    csv.add(document.lines.slice(0, 2));
    csv.add(document.lines.slice(2));
    const text = csv.toBuffer().toString('utf8');
    expect(text.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(document.lines.length);
    records.forEach((record, index) => {
      const line = document.lines[index]!;
      expect(record.documentNumber).toBe(document.number);
      expect(record.position).toBe(String(line.position));
      expect(record.kind).toBe(line.kind);
      expect(record.amount).toBe(line.amount);
      expect(record.basis).toBe(line.basis ?? '');
      expect(record.currency).toBe('EUR');
    });
    expect(records[0]!.resellerName).toBe(`'${document.lines[0]!.resellerName}`);
    expect(records.at(-1)!.amount).toBe('-3.07');
  });

  it('writes UTF-8 as is', () => {
    const csv = new DocumentCsv({ number: 'X-1', currency: 'EUR' });
    csv.add([sampleLine(1, { kind: 'usage', description: 'Ünïcødé – 中文 €', amount: '1.00' })]);
    expect(csv.toBuffer().toString('utf8')).toContain('Ünïcødé – 中文 €');
  });
});
