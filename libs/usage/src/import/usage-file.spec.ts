import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { boundedBody, readUsageFile, usageFileFormat, type FileRecord, type UsageFileFormat } from './usage-file';

async function read(text: string | Buffer, format: UsageFileFormat, chunk = 7): Promise<FileRecord[]> {
  // Small chunks: records, quotes and escapes must survive being split anywhere.
  const buffer = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunk) chunks.push(buffer.subarray(i, i + chunk));
  const records: FileRecord[] = [];
  for await (const record of readUsageFile(Readable.from(chunks), format)) records.push(record);
  return records;
}

const line = (n: number, record: Record<string, unknown>) => ({ line: n, record });

describe('reading a usage import file', () => {
  it('knows the formats by Content-Type, and only UTF-8', () => {
    expect(usageFileFormat('text/csv')).toBe('csv');
    expect(usageFileFormat('text/csv; charset=utf-8')).toBe('csv');
    expect(usageFileFormat('application/x-ndjson')).toBe('ndjson');
    expect(usageFileFormat('application/json; charset="UTF-8"')).toBe('json');
    expect(usageFileFormat('text/csv; charset=latin1')).toBeNull();
    expect(usageFileFormat('text/plain')).toBeNull();
    expect(usageFileFormat(undefined)).toBeNull();
  });

  it('reads CSV with a header, quotes, CRLF, a BOM and blank lines, numbering physical lines', async () => {
    const csv =
      '\ufefftransactionId,clientId,sku,quantity,period,description\r\n' +
      't1,c,LIC,5,2026-10,\r\n' +
      '\r\n' +
      't2,c,LIC,1.5,2026-10,"Office, ""E3""\nseats"\r\n';
    expect(await read(csv, 'csv')).toEqual([
      line(2, { transactionId: 't1', clientId: 'c', sku: 'LIC', quantity: '5', period: '2026-10', description: '' }),
      // A quoted field over two lines: the record is numbered by the line it ends on.
      line(5, { transactionId: 't2', clientId: 'c', sku: 'LIC', quantity: '1.5', period: '2026-10', description: 'Office, "E3"\nseats' }),
    ]);
  });

  it('names header problems at line 1 and a row with the wrong number of fields at its line', async () => {
    expect(await read('transactionId,clientId,sku,qty,period,extra\nt1,c,LIC,5,2026-10,x\n', 'csv')).toEqual([
      { line: 1, field: 'header', problem: 'has unknown columns: qty, extra (allowed: transactionId, clientId, sku, quantity, period, description)' },
      { line: 1, field: 'header', problem: 'lacks the columns: quantity' },
    ]);
    expect(await read('transactionId,clientId,sku,quantity,period\nt1,c,LIC,5\nt2,c,LIC,5,2026-10\n', 'csv')).toEqual([
      { line: 2, field: 'line', problem: 'has 4 fields; the header has 5' },
      line(3, { transactionId: 't2', clientId: 'c', sku: 'LIC', quantity: '5', period: '2026-10' }),
    ]);
    expect(await read('', 'csv')).toEqual([{ line: 1, field: 'header', problem: expect.stringContaining('is missing') }]);
  });

  it('reports broken CSV quoting at its line and goes on', async () => {
    const records = await read('transactionId,clientId,sku,quantity,period\nt1,c,LIC,"5"x,2026-10\n', 'csv');
    expect(records).toEqual([{ line: 2, field: 'line', problem: expect.stringMatching(/^is not valid CSV/) }]);
  });

  it('reads NDJSON, numbering every line, blank ones included', async () => {
    const ndjson = '{"transactionId":"a","quantity":"1"}\n\n{"transactionId":"b"}\r\n[1]\n{oops\n';
    expect(await read(ndjson, 'ndjson')).toEqual([
      line(1, { transactionId: 'a', quantity: '1' }),
      line(3, { transactionId: 'b' }),
      { line: 4, field: 'line', problem: 'must be a JSON object' },
      { line: 5, field: 'line', problem: expect.stringMatching(/^is not valid JSON/) },
    ]);
  });

  it('reads a JSON array element by element, each at the line its object starts on', async () => {
    const json =
      '[\n  {"transactionId": "a", "description": "has } and \\" and ] inside"},\n  {\n    "transactionId": "b",\n    "nested": {"x": [1, 2]}\n  }\n]\n';
    expect(await read(json, 'json', 3)).toEqual([
      line(2, { transactionId: 'a', description: 'has } and " and ] inside' }),
      line(3, { transactionId: 'b', nested: { x: [1, 2] } }),
    ]);
    expect(await read('[]', 'json')).toEqual([]);
  });

  it('refuses what is not an array of objects, at the line where it goes wrong', async () => {
    expect(await read('{"transactionId": "a"}', 'json')).toEqual([{ line: 1, field: 'body', problem: 'must be a JSON array of usage lines' }]);
    expect(await read('[\n{"a": 1},\n"text"\n]', 'json')).toEqual([line(2, { a: 1 }), { line: 3, field: 'body', problem: 'must be an array of JSON objects' }]);
    expect(await read('[\n{"a": 1}\n{"b": 2}]', 'json')).toEqual([line(2, { a: 1 }), { line: 3, field: 'body', problem: 'is not valid JSON: unexpected "{"' }]);
    expect(await read('[\n{"a": 1},\n', 'json')).toEqual([line(2, { a: 1 }), { line: 3, field: 'body', problem: 'ends before the JSON array is closed' }]);
  });

  it('gunzips a gzip body and cuts a body off past its limit', async () => {
    const text = 'transactionId,clientId,sku,quantity,period\nt1,c,LIC,5,2026-10\n';
    const { stream, bytes } = boundedBody(Readable.from([gzipSync(text)]), 'gzip');
    const records: FileRecord[] = [];
    for await (const record of readUsageFile(stream, 'csv')) records.push(record);
    expect(records).toHaveLength(1);
    expect(bytes()).toBe(Buffer.byteLength(text));

    const limited = boundedBody(Readable.from([Buffer.from(text)]), undefined, 10);
    await expect(async () => {
      for await (const _ of readUsageFile(limited.stream, 'csv')) void _;
    }).rejects.toMatchObject({ code: 'USAGE_IMPORT_TOO_LARGE' });
    expect(() => boundedBody(Readable.from([]), 'br')).toThrow(expect.objectContaining({ code: 'USAGE_IMPORT_UNSUPPORTED_TYPE' }));
  });
});
