import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '@wholesail/config';
import { CatalogItem, EffectiveDatePolicy, ormConfig } from '@wholesail/persistence';
import { CatalogService } from '../../apps/api/src/catalog/catalog.service';
import { freshDatabase, type FreshDatabase } from '../support/database';

/**
 * The catalog has one currency, set by its first price. Two first prices in different currencies,
 * for two items, at the same moment: each reads "no currency yet" unless price writers take turns.
 * A database of its own: the catalog is emptied of prices.
 */
describe('catalog currency under concurrency (integration)', () => {
  let db: FreshDatabase;
  let orm: MikroORM;
  let catalog: CatalogService;

  beforeAll(async () => {
    db = await freshDatabase('catalog_currency');
    orm = await MikroORM.init(ormConfig(db.url));
    const config = { operatorTimeZone: 'UTC', billing: { goLiveFrom: null } } as unknown as AppConfig;
    catalog = new CatalogService(orm.em, new EffectiveDatePolicy(config));
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  it('lets exactly one of two concurrent first prices in different currencies in', async () => {
    const em = orm.em.fork();
    await em.execute(`delete from catalog_price`);
    const skus = ['RACE-EUR', 'RACE-USD'];
    for (const sku of skus) em.create(CatalogItem, { sku, name: sku, category: 'compute', unit: 'unit', design: null });
    await em.flush();

    for (let attempt = 0; attempt < 5; attempt++) {
      await em.execute(`delete from catalog_price`);
      const results = await Promise.allSettled([
        catalog.addPrice(skus[0], { unitPrice: '1.00', currency: 'EUR' }),
        catalog.addPrice(skus[1], { unitPrice: '2.00', currency: 'USD' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(refused.reason).toMatchObject({ code: 'MONEY_CURRENCY_MISMATCH' });
      const currencies: Array<{ currency: string }> = await em.execute(`select distinct currency from catalog_price`);
      expect(currencies).toHaveLength(1);
    }
  });
});
