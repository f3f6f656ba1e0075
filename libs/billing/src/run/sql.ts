import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Set-based SQL for the billing run: many rows in one statement, never one round trip per row.
 * Bulk rows travel by `COPY` (`copyLines`, `CopyData`); smaller sets as one JSON document
 * (`json_to_recordset`, `jsonInsert`), which PostgreSQL parses in C.
 */

/** Column name → PostgreSQL type, in insert order. */
export type Columns = Readonly<Record<string, string>>;

export async function insertJsonRows(em: EntityManager, table: string, columns: Columns, rows: readonly Record<string, unknown>[]): Promise<number> {
  if (rows.length === 0) return 0;
  await executeBound(em, jsonInsert(table, columns), [JSON.stringify(rows)]);
  return rows.length;
}

/** `insert into table (columns) select … from json_to_recordset(?)`: the rows of one bound JSON array (a statement of its own, or a CTE's). */
export function jsonInsert(table: string, columns: Columns): string {
  const names = Object.keys(columns).map((c) => `"${c}"`);
  const record = Object.entries(columns)
    .map(([c, type]) => `"${c}" ${type}`)
    .join(', ');
  return `insert into "${table}" (${names.join(', ')}) select ${names.join(', ')} from json_to_recordset(?::json) as x(${record})`;
}

/**
 * Runs a statement with its parameters bound (sent beside the SQL text, as the protocol allows) in
 * `em`'s transaction if it has one. `em.execute` inlines every parameter into the SQL, escaping it
 * character by character: for a multi-megabyte JSON document of rows that costs seconds and
 * hundreds of MiB per statement.
 */
export async function executeBound(em: EntityManager, sql: string, params: readonly unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }> {
  const query = em
    .getConnection()
    .getKnex()
    .raw(sql, params as unknown[]);
  const ctx = em.getTransactionContext();
  if (ctx) query.transacting(ctx);
  return (await query) as { rowCount: number | null; rows: unknown[] };
}

/**
 * Writes rows with `COPY … FROM STDIN` (text format) on `em`'s transaction: what the bench's floor
 * does, and the cheapest way into a table (no JSON document for the server to parse). The rows are
 * in COPY's text format: values tab-separated, in the order of `columns`, escaped (`copyText`).
 */
export async function copyLines(em: EntityManager, table: string, columns: Columns, data: CopyData): Promise<number> {
  if (data.rows === 0) return 0;
  const ctx = em.getTransactionContext<{ client: { acquireConnection(): Promise<unknown> } }>();
  if (!ctx) throw new Error('copyLines runs in a transaction');
  const connection = (await ctx.client.acquireConnection()) as Client;
  const copy = connection.query(
    copyFrom(
      `copy "${table}" (${Object.keys(columns)
        .map((c) => `"${c}"`)
        .join(', ')}) from stdin`,
    ),
  );
  await pipeline(Readable.from(data.buffers()), copy);
  return data.rows;
}

/** Bytes of a CopyData chunk (a row longer than that gets a chunk of its own size). */
const COPY_CHUNK = 1024 * 1024;

/**
 * Rows in COPY's text format, each encoded into buffers as it is added: what travels to the server
 * as it will be sent. A page's rows held as strings until written outlive the young generation and
 * are copied into the old one, to be collected there, then joined and encoded once more; rows put
 * here are garbage at once, and their bytes live outside the JavaScript heap.
 */
export class CopyData {
  private readonly full: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(0);
  private used = 0;
  /** Rows added. */
  rows = 0;

  static of(lines: readonly string[]): CopyData {
    const data = new CopyData();
    for (const line of lines) data.push(line);
    return data;
  }

  /** A row, its values tab-separated (and escaped: `copyText`), without its newline. */
  push(row: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair's 4 bytes stand for 2).
    const most = row.length * 3 + 1;
    if (this.used + most > this.chunk.length) {
      if (this.used > 0) this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(COPY_CHUNK, most));
      this.used = 0;
    }
    this.used += this.chunk.write(row, this.used);
    this.chunk[this.used++] = 0x0a;
    this.rows++;
  }

  /** The rows' bytes, in order. */
  buffers(): Buffer[] {
    return this.used > 0 ? [...this.full, this.chunk.subarray(0, this.used)] : [...this.full];
  }

  /** The rows as text (tests and diagnostics). */
  lines(): string[] {
    return this.rows === 0 ? [] : Buffer.concat(this.buffers()).toString('utf8').slice(0, -1).split('\n');
  }
}

/** NULL in COPY's text format. */
export const COPY_NULL = '\\N';

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIALS = new RegExp(COPY_SPECIAL.source, 'g');
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text in COPY's text format: backslash, newline, carriage return and tab escaped. */
export function copyText(text: string): string {
  return COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]) : text;
}

/** A list of ids as one bound parameter: `… in (select value::uuid from json_array_elements_text(?::json))`. */
export function idList(ids: readonly string[]): string {
  return JSON.stringify(ids);
}

export const IDS = `(select value::uuid from json_array_elements_text(?::json))`;

/** numeric → exact decimal text as PostgreSQL prints it (`"12.50"`); null stays null. */
export function text(value: unknown): string {
  return value == null ? '' : String(value);
}

/**
 * Lets a statement just started reach the server (the driver writes it a few event-loop turns
 * later) before the caller computes synchronously: the database then works while this process does.
 */
export async function untilSent(): Promise<void> {
  for (let i = 0; i < 3; i++) await nextTurn();
}

/** One turn of the event loop: I/O that completed meanwhile is handled (a statement's answer, the next one sent). */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
