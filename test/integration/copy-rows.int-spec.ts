import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '@wholesail/persistence';
import { copyRows } from '../../libs/billing/src/run/sql';
import { freshDatabase, type FreshDatabase } from '../support/database';

/**
 * The billing run writes its rated lines with COPY's text format: every value must arrive as it
 * was, whatever characters it holds (COPY's own separators and escapes included), in the caller's
 * transaction.
 */
describe('copyRows (integration)', () => {
  let db: FreshDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await freshDatabase('copy_rows');
    orm = await MikroORM.init(ormConfig(db.url));
    await orm.em.execute(`create table copy_probe (id int primary key, label text, amount numeric, flag boolean, at timestamptz, doc jsonb)`);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  const columns = { id: 'int', label: 'text', amount: 'numeric', flag: 'boolean', at: 'timestamptz', doc: 'jsonb' };
  const awkward = 'tab\there, new\nline, return\r, back\\slash, \\N, quote " and \'';

  it('writes every value as given: separators, escapes, NULL, JSON with backslashes and quotes', async () => {
    const rows = [
      { id: 1, label: awkward, amount: '12.345678901234567890', flag: true, at: '2026-10-31T23:59:59.000Z', doc: { note: awkward, list: [1, 'two\\'] } },
      { id: 2, label: null, amount: '-0.01', flag: false, at: null, doc: null },
      { id: 3, label: '', amount: '0', flag: false, at: '2026-10-01T00:00:00.000Z', doc: [] },
    ];
    await orm.em.fork().transactional(async (tx) => {
      expect(await copyRows(tx, 'copy_probe', columns, rows)).toBe(3);
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
        await copyRows(tx, 'copy_probe', columns, [{ id: 10, label: 'gone', amount: '1', flag: true, at: null, doc: null }]);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    const [{ count }]: Array<{ count: string }> = await orm.em.execute(`select count(*) as count from copy_probe where id = 10`);
    expect(count).toBe('0');
  });

  it('refuses to run outside a transaction', async () => {
    await expect(copyRows(orm.em.fork(), 'copy_probe', columns, [{ id: 20 }])).rejects.toThrow('copyRows runs in a transaction');
  });
});
