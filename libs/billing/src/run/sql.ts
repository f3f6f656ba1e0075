import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Set-based SQL for the billing run: many rows in one statement, never one round trip per row.
 * Rows travel as one JSON document (`json_to_recordset`), which PostgreSQL parses in C: a page of
 * 20,000 rated lines is one INSERT.
 */

/** Column name → PostgreSQL type, in insert order. */
export type Columns = Readonly<Record<string, string>>;

export async function insertJsonRows(em: EntityManager, table: string, columns: Columns, rows: readonly Record<string, unknown>[]): Promise<number> {
  if (rows.length === 0) return 0;
  await executeBound(em, insertJsonRowsSql(table, columns), [JSON.stringify(rows)]);
  return rows.length;
}

/** `insert into <table> (…) select … from json_to_recordset(?::json)`: the rows as one bound JSON parameter. */
export function insertJsonRowsSql(table: string, columns: Columns): string {
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
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
