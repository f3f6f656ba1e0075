import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '@wholesail/persistence';
import { COPY_NULL, CopyData, copyLines, copyText } from '../../libs/billing/src/run/sql';
import { freshDatabase, type FreshDatabase } from '../support/database';

/**
 * The billing run writes its rated lines with COPY's text format: every value must arrive as it
 * was, whatever characters it holds (COPY's own separators and escapes included, and characters
 * beyond ASCII across CopyData's chunks), in the caller's transaction.
 */
describe('copyLines (integration)', () => {
  let db: FreshDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await freshDatabase('copy_lines');
    orm = await MikroORM.init(ormConfig(db.url));
    await orm.em.execute(`create table copy_probe (id int primary key, label text, amount numeric, flag boolean, at timestamptz, doc jsonb)`);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  const columns = { id: 'int', label: 'text', amount: 'numeric', flag: 'boolean', at: 'timestamptz', doc: 'jsonb' };
  const awkward = 'tab\there, new\nline, return\r, back\\slash, \\N, quote " and \', École €';
  /** A row of values in COPY's text format, as the run's rows are built: NULL, JSON, escaped text. */
  const line = (values: unknown[]) =>
    values
      .map((v) => (v === null || v === undefined ? COPY_NULL : copyText(typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v))))
      .join('\t');
  const names = Object.keys(columns);
  const lines = (rows: Array<Record<string, unknown>>) => CopyData.of(rows.map((row) => line(names.map((name) => row[name]))));

  it('writes every value as given: separators, escapes, NULL, JSON with backslashes and quotes', async () => {
    const rows = [
      { id: 1, label: awkward, amount: '12.345678901234567890', flag: true, at: '2026-10-31T23:59:59.000Z', doc: { note: awkward, list: [1, 'two\\'] } },
      { id: 2, label: null, amount: '-0.01', flag: false, at: null, doc: null },
      { id: 3, label: '', amount: '0', flag: false, at: '2026-10-01T00:00:00.000Z', doc: [] },
    ];
    await orm.em.fork().transactional(async (tx) => {
      expect(await copyLines(tx, 'copy_probe', columns, lines(rows))).toBe(3);
    });
    const stored: Array<Record<string, unknown>> = await orm.em.execute(
      `select id, label, amount::text as amount, flag, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as at, doc from copy_probe order by id`,
    );
    expect(stored).toEqual([
      { id: 1, label: awkward, amount: '12.345678901234567890', flag: true, at: '2026-10-31T23:59:59', doc: { note: awkward, list: [1, 'two\\'] } },
      { id: 2, label: null, amount: '-0.01', flag: false, at: null, doc: null },
      { id: 3, label: '', amount: '0', flag: false, at: '2026-10-01T00:00:00', doc: [] },
    ]);
  });

  it('writes in the transaction: rolled back, nothing stays', async () => {
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await copyLines(tx, 'copy_probe', columns, lines([{ id: 10, label: 'gone', amount: '1', flag: true, at: null, doc: null }]));
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    const [{ count }]: Array<{ count: string }> = await orm.em.execute(`select count(*) as count from copy_probe where id = 10`);
    expect(count).toBe('0');
  });

  it('refuses to run outside a transaction', async () => {
    await expect(copyLines(orm.em.fork(), 'copy_probe', columns, lines([{ id: 20 }]))).rejects.toThrow('copyLines runs in a transaction');
  });

  it('writes rows spanning many chunks, each whole', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({ id: 1000 + i, label: `${awkward} ${'é'.repeat(i % 50)}`, amount: `${i}.5`, flag: i % 2 === 0 }));
    const data = lines(many);
    expect(data.buffers().length).toBeGreaterThan(1);
    await orm.em.fork().transactional(async (tx) => {
      expect(await copyLines(tx, 'copy_probe', columns, data)).toBe(many.length);
    });
    const stored: Array<{ id: number; label: string }> = await orm.em.execute(`select id, label from copy_probe where id >= 1000 order by id`);
    expect(stored).toEqual(many.map(({ id, label }) => ({ id, label })));
  });
});
