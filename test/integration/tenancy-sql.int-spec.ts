import { IsolationLevel, MikroORM } from '@mikro-orm/postgresql';
import { ormConfig, Party } from '@wholesail/persistence';
import { TenancyService } from '../../apps/api/src/tenancy/tenancy.service';
import { testStack } from '../support/stack';

/**
 * The tenancy rule has two renderings in one owner (TenancyService): a MikroORM filter for the
 * query builder and plain SQL for the hot reads. They must select the same parties for every
 * caller: each party of the seeded tree (operator, distributors, agents, resellers at every depth,
 * clients) is taken as the caller in turn.
 */
describe('tenancy rule: filter and SQL agree (integration)', () => {
  let orm: MikroORM;
  const tenancy = new TenancyService();

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  it('selects the same parties for every kind of caller', async () => {
    // One snapshot for every read (em.execute runs in the transaction; a bare connection would
    // not): other files add parties while this runs.
    await orm.em.fork().transactional(
      async (em) => {
        const callers = await em.find(Party, {}, { orderBy: { depth: 'asc', code: 'asc' } });
        expect(new Set(callers.map((p) => p.kind))).toEqual(new Set(['operator', 'distributor', 'agent', 'reseller', 'client']));
        for (const party of callers) {
          const caller = tenancy.callerOf(party);
          const byFilter = (await em.find(Party, tenancy.partiesVisibleTo(caller), { fields: ['id'] })).map((p) => p.id).sort();
          const condition = tenancy.visiblePartiesSql(caller, 'p');
          const rows = (await em.execute(`select p.id from party p where ${condition.sql}`, condition.params)) as { id: string }[];
          const bySql = rows.map((row) => row.id).sort();
          expect({ caller: party.code, ids: bySql }).toEqual({ caller: party.code, ids: byFilter });
          expect(bySql).toContain(party.id);
        }
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ },
    );
  });
});
