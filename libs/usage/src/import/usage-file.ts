import { parse } from 'csv-parse';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DomainError } from '@wholesail/domain';
import { UsageErrorCode } from '../usage-errors';

/**
 * Reading a usage import file as a stream of records, one at a time, each with the line of the
 * file it is on — never the whole file in memory. Three formats:
 *
 * - `csv` (text/csv): a header line naming the columns, then one line per usage line. RFC 4180
 *   quoting; `\n` or `\r\n` line ends; blank lines skipped; a UTF-8 BOM allowed.
 * - `ndjson` (application/x-ndjson): one JSON object per line; blank lines skipped.
 * - `json` (application/json): one JSON array of objects, read element by element; an element's
 *   line is the line its `{` is on.
 */
export const USAGE_IMPORT_FORMATS_BY_TYPE = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/json': 'json',
} as const;
export type UsageFileFormat = (typeof USAGE_IMPORT_FORMATS_BY_TYPE)[keyof typeof USAGE_IMPORT_FORMATS_BY_TYPE];

export const USAGE_IMPORT_COLUMNS = ['transactionId', 'clientId', 'sku', 'quantity', 'period', 'description'] as const;
const REQUIRED_COLUMNS = ['transactionId', 'clientId', 'sku', 'quantity', 'period'];

/** The biggest body an import accepts (after decompression), and the most lines. */
export const USAGE_IMPORT_MAX_BYTES = 256 * 1024 * 1024;
export const USAGE_IMPORT_MAX_LINES = 1_000_000;
/** The longest single JSON element (a usage line is a few hundred bytes). */
const MAX_ELEMENT_CHARS = 64 * 1024;

/** A record of the file, or a problem at a line that stops the record from being read. */
export type FileRecord = { line: number; record: Record<string, unknown> } | { line: number; field: string; problem: string };

/** `text/csv; charset=utf-8` → `csv`; null for a type we do not read. */
export function usageFileFormat(contentType: string | undefined): UsageFileFormat | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const charset = /;\s*charset="?([^";]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') return null;
  return (USAGE_IMPORT_FORMATS_BY_TYPE as Record<string, UsageFileFormat>)[type] ?? null;
}

/**
 * The body as decoded bytes: gunzipped when `Content-Encoding: gzip`, and cut off with
 * USAGE_IMPORT_TOO_LARGE past `maxBytes`. `bytes()` tells how many were read.
 */
export function boundedBody(body: Readable, contentEncoding: string | undefined, maxBytes = USAGE_IMPORT_MAX_BYTES): { stream: Readable; bytes: () => number } {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw DomainError.invalid(UsageErrorCode.ImportUnsupportedType, 'Content-Encoding', 'must be gzip or absent');
  }
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(tooLarge(`the import is larger than ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  const source = encoding === 'gzip' ? body.pipe(createGunzip()) : body;
  source.on('error', (error) => counter.destroy(error));
  body.on('error', (error) => counter.destroy(error));
  return { stream: source.pipe(counter), bytes: () => bytes };
}

export function tooLarge(message: string): DomainError {
  return DomainError.invalid(UsageErrorCode.ImportTooLarge, 'body', message);
}

export function readUsageFile(stream: Readable, format: UsageFileFormat): AsyncIterable<FileRecord> {
  if (format === 'csv') return csvRecords(stream);
  if (format === 'ndjson') return ndjsonRecords(stream);
  return jsonArrayRecords(stream);
}

async function* csvRecords(stream: Readable): AsyncIterable<FileRecord> {
  const skipped: FileRecord[] = [];
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
    relax_column_count: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n'],
  });
  let lastSkipped = -1;
  parser.on('skip', (error: { lines?: number; message: string }) => {
    // One broken line can trip several checks; it is reported once.
    if (error.lines === lastSkipped) return;
    lastSkipped = error.lines ?? 0;
    skipped.push({ line: lastSkipped, field: 'line', problem: `is not valid CSV: ${error.message}` });
  });
  stream.on('error', (error) => parser.destroy(error));
  stream.pipe(parser);
  let columns: string[] | null = null;
  let header: FileRecord[] = [];
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield* skipped.splice(0);
    if (columns === null) {
      columns = record;
      header = headerProblems(record);
      yield* header;
      continue;
    }
    if (header.length) continue;
    if (record.length !== columns.length) {
      yield { line: info.lines, field: 'line', problem: `has ${record.length} fields; the header has ${columns.length}` };
      continue;
    }
    yield { line: info.lines, record: Object.fromEntries(columns.map((column, i) => [column, record[i]])) };
  }
  yield* skipped.splice(0);
  if (columns === null)
    yield { line: 1, field: 'header', problem: `is missing: the first line must name the columns (${REQUIRED_COLUMNS.join(',')}[,description])` };
}

function headerProblems(columns: string[]): FileRecord[] {
  const problems: FileRecord[] = [];
  const unknown = columns.filter((c) => !(USAGE_IMPORT_COLUMNS as readonly string[]).includes(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (unknown.length)
    problems.push({ line: 1, field: 'header', problem: `has unknown columns: ${unknown.join(', ')} (allowed: ${USAGE_IMPORT_COLUMNS.join(', ')})` });
  if (missing.length) problems.push({ line: 1, field: 'header', problem: `lacks the columns: ${missing.join(', ')}` });
  if (repeated.length) problems.push({ line: 1, field: 'header', problem: `repeats the columns: ${[...new Set(repeated)].join(', ')}` });
  return problems;
}

async function* ndjsonRecords(stream: Readable): AsyncIterable<FileRecord> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (!text.trim()) continue;
    yield objectRecord(line, text);
  }
}

function objectRecord(line: number, text: string): FileRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, field: 'line', problem: `is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { line, field: 'line', problem: 'must be a JSON object' };
  return { line, record: value as Record<string, unknown> };
}

/**
 * A JSON array read element by element: a small scanner tracks strings, escapes and nesting so
 * that each element's text is handed to JSON.parse on its own. A malformed array (not an array,
 * junk between elements, unbalanced brackets) ends the file with an error at its line.
 */
async function* jsonArrayRecords(stream: Readable): AsyncIterable<FileRecord> {
  const decoder = new StringDecoder('utf8');
  let line = 1;
  let state: 'before' | 'element-or-end' | 'comma-or-end' | 'after' = 'before';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let elementLine = 0;
  let stopped = false;
  const fail = (problem: string): FileRecord => {
    stopped = true;
    return { line, field: 'body', problem };
  };

  // Once the array is broken the rest is read and dropped (not destroyed: that would cut the
  // connection before the client hears why).
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (stopped) continue;
    const text = decoder.write(chunk);
    const records: FileRecord[] = [];
    for (let i = 0; i < text.length && !stopped; i++) {
      const c = text[i];
      if (depth > 0) {
        element += c;
        if (element.length > MAX_ELEMENT_CHARS) {
          records.push({ line: elementLine, field: 'line', problem: `is an element longer than ${MAX_ELEMENT_CHARS} characters` });
          stopped = true;
          break;
        }
        if (c === '\n') line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          depth--;
          if (depth === 0) {
            records.push(objectRecord(elementLine, element));
            element = '';
            state = 'comma-or-end';
          }
        }
        continue;
      }
      if (c === '\n') {
        line++;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') continue;
      if (state === 'before' && c === '[') state = 'element-or-end';
      else if (state === 'element-or-end' && (c === '{' || c === '[' || c === '"')) {
        if (c !== '{') {
          records.push(fail('must be an array of JSON objects'));
          break;
        }
        depth = 1;
        element = c;
        elementLine = line;
      } else if ((state === 'element-or-end' || state === 'comma-or-end') && c === ']') state = 'after';
      else if (state === 'comma-or-end' && c === ',') state = 'element-or-end';
      else records.push(fail(state === 'before' ? 'must be a JSON array of usage lines' : `is not valid JSON: unexpected ${JSON.stringify(c)}`));
    }
    yield* records;
  }
  if (!stopped && state !== 'after') yield fail('ends before the JSON array is closed');
}
