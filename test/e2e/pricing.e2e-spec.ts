import { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '@wholesail/auth';
import type { Role } from '@wholesail/domain';
import { Party, User } from '@wholesail/persistence';
import { startHarness, type Harness } from '../support/harness';

/**
 * Pricing over HTTP: the wholesale catalog, price books, client overrides and quotes, with the
 * tenancy rules. Works on its own parties (under the operator, so the seeded trees other files
 * assert on are untouched) and its own SKUs, unique per run; seeded rows are only read.
 *
 * The chain: operator → Top (a direct reseller) → Sub (its sub-reseller) → Client, and Sibling, a
 * second direct reseller. Hand-computed figures are in the comments next to the assertions.
 */
describe('pricing (e2e)', () => {
  let h: Harness;
  const run = Date.now().toString(36);
  const sku = (name: string) => `E2E-${run}-${name}`.toUpperCase();
  const [A, B, C, D] = [sku('VCPU'), sku('SSD'), sku('LIC'), sku('OLD')];
  const email = (who: string) => `${who}-${run}@pricing-e2e.demo`;
  const party: Record<'top' | 'sub' | 'client' | 'sibling', Party> = {} as never;
  const token: Record<'operator' | 'top' | 'sub' | 'sibling' | 'client' | 'architect', string> = {} as never;
  /** A future instant for the versions the tests schedule. */
  const LATER = '2031-01-01T00:00:00.000Z';

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const em = h.app.get(EntityManager).fork();
    const operator = await em.findOneOrFail(Party, { code: 'operator' });
    party.top = Party.create({ kind: 'reseller', name: `Pricing Top ${run}`, code: `e2e-pricing-top-${run}`, parent: operator });
    party.sub = Party.create({ kind: 'reseller', name: `Pricing Sub ${run}`, code: `e2e-pricing-sub-${run}`, parent: party.top });
    party.client = Party.create({ kind: 'client', name: `Pricing Client ${run}`, code: `e2e-pricing-client-${run}`, parent: party.sub });
    party.sibling = Party.create({ kind: 'reseller', name: `Pricing Sibling ${run}`, code: `e2e-pricing-sibling-${run}`, parent: operator });
    const passwordHash = await hashPassword('pricing-e2e-password');
    const user = (who: string, of: Party, roles: Role[]) =>
      em.create(User, { email: email(who), displayName: who, party: of, roles, passwordHash, status: 'active' });
    user('top', party.top, ['reseller-admin']);
    user('architect', party.top, ['architect']);
    user('sub', party.sub, ['reseller-admin']);
    user('sibling', party.sibling, ['reseller-admin']);
    user('client', party.client, ['client-user']);
    await em.persistAndFlush(Object.values(party));
    token.operator = await h.login('admin@wholesail.demo');
    for (const who of ['top', 'sub', 'sibling', 'client', 'architect'] as const) token[who] = await h.login(email(who), 'pricing-e2e-password');
  });

  afterAll(async () => {
    await h?.close();
  });

  const as = (who: keyof typeof token) => ({ Authorization: `Bearer ${token[who]}` });
  const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field).sort();
  /** The bill of materials quoted throughout: 4 vCPU, 500 GB SSD, 2 licences. */
  const billOfMaterials = () => [
    { sku: A, quantity: '4', ref: 'app-servers' },
    { sku: B, quantity: '500' },
    { sku: C, quantity: '2' },
  ];

  describe('catalog (operator)', () => {
    it('creates items with a first wholesale price', async () => {
      const created = await h.http
        .post('/catalog/items')
        .set(as('operator'))
        .send({ sku: A, name: 'vCPU', category: 'compute', unit: 'vCPU', unitPrice: '12.40' })
        .expect(201);
      expect(created.body).toMatchObject({
        sku: A,
        category: 'compute',
        unit: 'vCPU',
        retired: false,
        retiredAt: null,
        wholesalePrice: { unitPrice: '12.40', currency: 'EUR', effectiveTo: null },
      });
      await h.http
        .post('/catalog/items')
        .set(as('operator'))
        .send({ sku: B, name: 'SSD storage', category: 'storage', unit: 'GB', unitPrice: '0.125' })
        .expect(201);
      await h.http
        .post('/catalog/items')
        .set(as('operator'))
        .send({ sku: C, name: 'Licence', category: 'licence', unit: 'licence', unitPrice: '30.00' })
        .expect(201);
      await h.http
        .post('/catalog/items')
        .set(as('operator'))
        .send({ sku: D, name: 'Legacy service', category: 'service', unit: 'VM', unitPrice: '1.00' })
        .expect(201);

      const taken = await h.http.post('/catalog/items').set(as('operator')).send({ sku: A, name: 'again', category: 'compute', unit: 'vCPU' }).expect(409);
      expect(taken.body).toMatchObject({ code: 'CATALOG_SKU_TAKEN', fields: [{ field: 'sku', problem: 'is already used by another item' }] });
      const bad = await h.http.post('/catalog/items').set(as('operator')).send({ sku: 'lower case', name: '', category: 'gpu', unit: 'x' }).expect(400);
      expect(fieldsOf(bad.body)).toEqual(['category', 'name', 'sku']);
    });

    it('refuses a negative price, a JS number, a past date, another currency and an unknown SKU, naming the field', async () => {
      const negative = await h.http.post(`/catalog/items/${A}/prices`).set(as('operator')).send({ unitPrice: '-1.00', effectiveFrom: LATER }).expect(400);
      expect(negative.body).toEqual({
        code: 'PRICING_INVALID_PRICE',
        message: 'unitPrice must not be negative',
        fields: [{ field: 'unitPrice', problem: 'must not be negative' }],
      });

      const number = await h.http.post(`/catalog/items/${A}/prices`).set(as('operator')).send({ unitPrice: 12.5, effectiveFrom: LATER }).expect(400);
      expect(number.body.code).toBe('VALIDATION_FAILED');
      expect(number.body.fields).toEqual([{ field: 'unitPrice', problem: 'must be a decimal string such as "12.50", not a JSON number' }]);

      const past = await h.http
        .post(`/catalog/items/${A}/prices`)
        .set(as('operator'))
        .send({ unitPrice: '13.00', effectiveFrom: '2020-01-01T00:00:00Z' })
        .expect(400);
      expect(past.body.code).toBe('PRICING_EFFECTIVE_IN_PAST');
      expect(fieldsOf(past.body)).toEqual(['effectiveFrom']);

      const bareDate = await h.http
        .post(`/catalog/items/${A}/prices`)
        .set(as('operator'))
        .send({ unitPrice: '13.00', effectiveFrom: '2031-01-01' })
        .expect(400);
      expect(fieldsOf(bareDate.body)).toEqual(['effectiveFrom']);

      const currency = await h.http
        .post(`/catalog/items/${A}/prices`)
        .set(as('operator'))
        .send({ unitPrice: '13.00', currency: 'USD', effectiveFrom: LATER })
        .expect(400);
      expect(currency.body).toMatchObject({ code: 'MONEY_CURRENCY_MISMATCH', fields: [{ field: 'currency', problem: "must be the catalog's currency, EUR" }] });

      const unknown = await h.http.post(`/catalog/items/NOPE-${run}/prices`).set(as('operator')).send({ unitPrice: '1.00' }).expect(404);
      expect(unknown.body.code).toBe('CATALOG_ITEM_NOT_FOUND');
    });

    it('versions prices: a new version closes the open one, an overlap is refused, the past keeps its price', async () => {
      const added = await h.http.post(`/catalog/items/${A}/prices`).set(as('operator')).send({ unitPrice: '13.00', effectiveFrom: LATER }).expect(201);
      expect(added.body).toMatchObject({ unitPrice: '13.00', effectiveFrom: LATER, effectiveTo: null });

      const history = await h.http.get(`/catalog/items/${A}/prices`).set(as('operator')).expect(200);
      expect(history.body.items.map((p: { unitPrice: string; effectiveTo: string | null }) => [p.unitPrice, p.effectiveTo])).toEqual([
        ['13.00', null],
        ['12.40', LATER],
      ]);

      // [now, LATER) is closed now, so a version starting inside it overlaps it.
      const overlap = await h.http
        .post(`/catalog/items/${A}/prices`)
        .set(as('operator'))
        .send({ unitPrice: '12.90', effectiveFrom: '2030-06-01T00:00:00Z' })
        .expect(409);
      expect(overlap.body.code).toBe('PRICING_OVERLAPPING_VERSIONS');
      expect(overlap.body.fields).toContainEqual({ field: 'effectiveFrom', problem: expect.stringContaining('overlaps another version') });
      expect(new Set(fieldsOf(overlap.body))).toEqual(new Set(['effectiveFrom']));

      const now = await h.http.get(`/catalog/items/${A}`).set(as('operator')).expect(200);
      expect(now.body.wholesalePrice.unitPrice).toBe('12.40');
      const later = await h.http.get(`/catalog/items/${A}?asOf=2031-02-01T00:00:00Z`).set(as('operator')).expect(200);
      expect(later.body.wholesalePrice.unitPrice).toBe('13.00');
    });

    it('lets only the operator change the catalog or read wholesale price history', async () => {
      const reseller = await h.http
        .post('/catalog/items')
        .set(as('top'))
        .send({ sku: sku('X'), name: 'x', category: 'compute', unit: 'x' })
        .expect(403);
      expect(reseller.body.code).toBe('ROLE_REQUIRED');
      await h.http.post(`/catalog/items/${A}/prices`).set(as('top')).send({ unitPrice: '0.01' }).expect(403);
      await h.http.get(`/catalog/items/${A}/prices`).set(as('top')).expect(403);
      await h.http.post(`/catalog/items/${A}/retire`).set(as('sub')).send({}).expect(403);
    });
  });

  describe('price books and client overrides', () => {
    it('lets a reseller set its own books and its client’s negotiated prices', async () => {
      // Top sells to Sub at cost + 10 %, vCPU at + 8 %.
      const topSub = await h.http
        .post('/price-books')
        .set(as('top'))
        .send({ audience: 'subResellers', defaultUpliftPercent: '10', rules: [{ sku: A, kind: 'uplift', upliftPercent: '8' }] })
        .expect(201);
      expect(topSub.body).toMatchObject({
        resellerId: party.top.id,
        audience: 'subResellers',
        defaultUpliftPercent: '10',
        effectiveTo: null,
        rules: [{ sku: A, kind: 'uplift', upliftPercent: '8' }],
      });
      expect(topSub.body.createdBy).toMatch(/^user:/);
      await h.http.post('/price-books').set(as('top')).send({ audience: 'clients', defaultUpliftPercent: '25' }).expect(201);

      // Sub sells to its clients at cost + 20 %, SSD at 10 % off that list price, the licence at a fixed 45.00.
      const subClients = await h.http
        .post('/price-books')
        .set(as('sub'))
        .send({
          audience: 'clients',
          defaultUpliftPercent: '20',
          rules: [
            { sku: C, kind: 'fixed', fixedUnitPrice: '45.00' },
            { sku: B, kind: 'discount', discountPercent: '10' },
          ],
        })
        .expect(201);
      expect(subClients.body.rules).toEqual(
        [
          { sku: B, kind: 'discount', discountPercent: '10' },
          { sku: C, kind: 'fixed', fixedUnitPrice: '45' },
        ].sort((x, y) => x.sku.localeCompare(y.sku)),
      );

      // The client negotiated 5 % off Sub's list price for vCPUs.
      const override = await h.http
        .post('/client-overrides')
        .set(as('sub'))
        .send({ clientId: party.client.id, sku: A, kind: 'discount', discountPercent: '5' })
        .expect(201);
      expect(override.body).toMatchObject({ clientId: party.client.id, sku: A, kind: 'discount', discountPercent: '5', effectiveTo: null });
      const listed = await h.http.get(`/client-overrides?clientId=${party.client.id}`).set(as('sub')).expect(200);
      expect(listed.body.items.map((o: { id: string }) => o.id)).toEqual([override.body.id]);
    });

    it('refuses a discount over 100 %, an unknown SKU, a JS number, a misplaced value and overlapping dates, naming the field', async () => {
      const send = (body: object) =>
        h.http
          .post('/price-books')
          .set(as('top'))
          .send({ audience: 'clients', defaultUpliftPercent: '25', ...body });

      const discount = await send({ rules: [{ sku: A, kind: 'discount', discountPercent: '150' }] }).expect(400);
      expect(discount.body).toMatchObject({
        code: 'PRICING_INVALID_RULE',
        fields: [{ field: 'rules[0].discountPercent', problem: 'must be between 0 and 100' }],
      });

      const unknown = await send({
        rules: [
          { sku: B, kind: 'uplift', upliftPercent: '5' },
          { sku: `NOPE-${run}`, kind: 'uplift', upliftPercent: '5' },
        ],
      }).expect(400);
      expect(unknown.body).toMatchObject({
        code: 'PRICING_UNKNOWN_SKU',
        fields: [{ field: 'rules[1].sku', problem: expect.stringContaining('is not in the catalog') }],
      });

      const number = await send({ defaultUpliftPercent: 25, rules: [{ sku: A, kind: 'uplift', upliftPercent: 5 }] }).expect(400);
      expect(number.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(number.body)).toEqual(['defaultUpliftPercent', 'rules[0].upliftPercent']);
      expect(number.body.fields[0].problem).toContain('not a JSON number');

      const misplaced = await send({ rules: [{ sku: A, kind: 'discount', upliftPercent: '5' }] }).expect(400);
      expect(misplaced.body.fields).toEqual(
        expect.arrayContaining([
          { field: 'rules[0].upliftPercent', problem: 'applies only to uplift rules' },
          { field: 'rules[0].discountPercent', problem: 'is required for a discount rule' },
        ]),
      );

      const negativeUplift = await send({ defaultUpliftPercent: '-5' }).expect(400);
      expect(negativeUplift.body).toMatchObject({ code: 'PRICING_INVALID_RULE', fields: [{ field: 'defaultUpliftPercent', problem: 'must not be negative' }] });

      const twice = await send({
        rules: [
          { sku: A, kind: 'uplift', upliftPercent: '5' },
          { sku: A, kind: 'fixed', fixedUnitPrice: '5' },
        ],
      }).expect(400);
      expect(twice.body.fields).toEqual([{ field: 'rules[1].sku', problem: 'has another rule in this book' }]);

      // A later version of Top's client book closes the current one; one starting before it overlaps.
      await send({ defaultUpliftPercent: '30', effectiveFrom: '2031-06-01T00:00:00Z' }).expect(201);
      const overlap = await send({ effectiveFrom: '2031-03-01T00:00:00Z', effectiveTo: '2031-09-01T00:00:00Z' }).expect(409);
      expect(overlap.body.code).toBe('PRICING_OVERLAPPING_VERSIONS');
      expect(new Set(fieldsOf(overlap.body))).toEqual(new Set(['effectiveFrom']));
      const backwards = await send({ effectiveFrom: '2032-03-01T00:00:00Z', effectiveTo: '2032-01-01T00:00:00Z' }).expect(400);
      expect(backwards.body).toMatchObject({ code: 'PRICING_INVALID_RANGE', fields: [{ field: 'effectiveTo', problem: 'must be after effectiveFrom' }] });

      const history = await h.http.get(`/price-books?resellerId=${party.top.id}&audience=clients`).set(as('top')).expect(200);
      expect(history.body.items.map((v: { defaultUpliftPercent: string; effectiveTo: string | null }) => [v.defaultUpliftPercent, v.effectiveTo])).toEqual([
        ['30', null],
        ['25', '2031-06-01T00:00:00.000Z'],
      ]);
      const inForce = await h.http.get(`/price-books?resellerId=${party.top.id}&audience=clients&inForceAt=2031-07-01T00:00:00Z`).set(as('top')).expect(200);
      expect(inForce.body.items.map((v: { defaultUpliftPercent: string }) => v.defaultUpliftPercent)).toEqual(['30']);
    });

    it('lets a parent reseller read, not change, its sub-reseller’s book and its client’s prices', async () => {
      const read = await h.http.get(`/price-books?resellerId=${party.sub.id}`).set(as('top')).expect(200);
      expect(read.body.items).toHaveLength(1);
      expect(read.body.items[0]).toMatchObject({ resellerId: party.sub.id, audience: 'clients' });
      const write = await h.http
        .post('/price-books')
        .set(as('top'))
        .send({ resellerId: party.sub.id, audience: 'clients', defaultUpliftPercent: '99' })
        .expect(403);
      expect(write.body.code).toBe('PRICE_BOOK_FORBIDDEN');
      const override = await h.http
        .post('/client-overrides')
        .set(as('top'))
        .send({ clientId: party.client.id, sku: B, kind: 'fixed', fixedUnitPrice: '0.01' })
        .expect(403);
      expect(override.body.code).toBe('CLIENT_OVERRIDE_FORBIDDEN');
    });

    it('lets the operator set any reseller’s book, and no agent, distributor, architect or client', async () => {
      const operator = await h.http
        .post('/price-books')
        .set(as('operator'))
        .send({ resellerId: party.sibling.id, audience: 'clients', defaultUpliftPercent: '30' })
        .expect(201);
      expect(operator.body).toMatchObject({ resellerId: party.sibling.id, defaultUpliftPercent: '30' });

      const alice = await h.login('alice@northwind.demo');
      const northwind = await h.login('admin@northwind.demo');
      const body = { resellerId: party.top.id, audience: 'clients', defaultUpliftPercent: '1' };
      for (const who of [alice, northwind, token.architect, token.client]) {
        const refused = await h.http
          .post('/price-books')
          .set({ Authorization: `Bearer ${who}` })
          .send(body)
          .expect(403);
        expect(refused.body.code).toBe('ROLE_REQUIRED');
        await h.http
          .post('/client-overrides')
          .set({ Authorization: `Bearer ${who}` })
          .send({ clientId: party.client.id, sku: A, kind: 'uplift', upliftPercent: '1' })
          .expect(403);
      }
      for (const who of [alice, northwind, token.client])
        await h.http
          .get(`/price-books?resellerId=${party.top.id}`)
          .set({ Authorization: `Bearer ${who}` })
          .expect(403);
      // An architect reads its own reseller's books (to design with them) but does not change them.
      await h.http.get('/price-books').set(as('architect')).expect(200);
    });
  });

  describe('quotes', () => {
    it('prices a bill of materials across operator → reseller → sub-reseller → client (hand-computed)', async () => {
      const quote = await h.http.post('/quotes').set(as('operator')).send({ clientId: party.client.id, lines: billOfMaterials() }).expect(200);
      const body = quote.body;
      expect(body).toMatchObject({ view: 'operator', clientId: party.client.id, currency: 'EUR' });
      // vCPU: wholesale 12.40; Top +8 % = 13.392; Sub's list 13.392 × 1.20 = 16.0704, 5 % off = 15.26688.
      //   × 4: wholesale 49.60, Top 53.568 → 53.57, client 61.06752 → 61.07.
      expect(body.lines[0]).toMatchObject({
        ref: 'app-servers',
        sku: A,
        quantity: '4',
        wholesaleUnitPrice: '12.40',
        wholesaleAmount: '49.60',
        unitPrice: '15.26688',
        amount: '61.07',
        flags: ['clientOverride'],
      });
      expect(body.lines[0].tiers).toEqual([
        expect.objectContaining({
          resellerId: party.top.id,
          sellsTo: 'subReseller',
          unitCost: '12.40',
          unitPrice: '13.392',
          costAmount: '49.60',
          saleAmount: '53.57',
          margin: '3.97',
        }),
        expect.objectContaining({
          resellerId: party.sub.id,
          sellsTo: 'client',
          unitCost: '13.392',
          unitPrice: '15.26688',
          costAmount: '53.57',
          saleAmount: '61.07',
          margin: '7.50',
        }),
      ]);
      // SSD: 0.125 → Top default +10 % = 0.1375 → Sub 0.1375 × 1.20 × 0.90 = 0.1485; × 500: 62.50, 68.75, 74.25.
      expect(body.lines[1]).toMatchObject({ wholesaleAmount: '62.50', unitPrice: '0.1485', amount: '74.25', flags: [] });
      // Licence: 30.00 → Top +10 % = 33.00 → Sub fixed 45.00; × 2: 60.00, 66.00, 90.00.
      expect(body.lines[2]).toMatchObject({ wholesaleAmount: '60.00', unitPrice: '45.00', amount: '90.00', flags: ['fixedPrice'] });
      // Totals are sums of rounded lines: 61.07 + 74.25 + 90.00; 49.60 + 62.50 + 60.00; 53.57 + 68.75 + 66.00.
      expect(body.monthlyTotal).toBe('225.32');
      expect(body.wholesaleTotal).toBe('172.10');
      expect(body.tiers).toEqual([
        { resellerId: party.top.id, depth: 0, costTotal: '172.10', saleTotal: '188.32', marginTotal: '16.22', belowCostLines: 0 },
        { resellerId: party.sub.id, depth: 1, costTotal: '188.32', saleTotal: '225.32', marginTotal: '37.00', belowCostLines: 0 },
      ]);
    });

    it('shows a reseller its own cost and margin and the tiers below it', async () => {
      const top = await h.http.post('/quotes').set(as('top')).send({ clientId: party.client.id, lines: billOfMaterials() }).expect(200);
      expect(top.body).toMatchObject({ view: 'reseller', viewerId: party.top.id, monthlyTotal: '225.32' });
      expect(top.body.own).toEqual({ resellerId: party.top.id, depth: 0, costTotal: '172.10', saleTotal: '188.32', marginTotal: '16.22', belowCostLines: 0 });
      expect(top.body.below).toEqual([
        { resellerId: party.sub.id, depth: 1, costTotal: '188.32', saleTotal: '225.32', marginTotal: '37.00', belowCostLines: 0 },
      ]);
      expect(top.body).not.toHaveProperty('wholesaleTotal');
      expect(top.body.lines[0]).not.toHaveProperty('wholesaleUnitPrice');
    });

    it('never shows a sub-reseller its parent’s cost: no wholesale price or parent figure anywhere in the JSON', async () => {
      const sub = await h.http.post('/quotes').set(as('sub')).send({ clientId: party.client.id, lines: billOfMaterials() }).expect(200);
      expect(sub.body).toMatchObject({ view: 'reseller', viewerId: party.sub.id, monthlyTotal: '225.32', below: [] });
      expect(sub.body.own).toEqual({ resellerId: party.sub.id, depth: 1, costTotal: '188.32', saleTotal: '225.32', marginTotal: '37.00', belowCostLines: 0 });
      expect(sub.body.lines[0].own).toMatchObject({ unitCost: '13.392', unitPrice: '15.26688', costAmount: '53.57', saleAmount: '61.07', margin: '7.50' });
      assertNoParentFigures(JSON.stringify(sub.body));

      const catalog = await h.http.get(`/catalog/items?q=E2E-${run}`).set(as('sub')).expect(200);
      const bySku = Object.fromEntries((catalog.body.items as { sku: string; yourPrices: unknown }[]).map((item) => [item.sku, item.yourPrices]));
      // Sub's cost is Top's price to it; its list price is its client book's (no override here).
      expect(bySku[A]).toEqual({ currency: 'EUR', unitCost: '13.392', clientUnitPrice: '16.0704' });
      expect(bySku[B]).toEqual({ currency: 'EUR', unitCost: '0.1375', clientUnitPrice: '0.1485' });
      expect(bySku[C]).toEqual({ currency: 'EUR', unitCost: '33.00', clientUnitPrice: '45.00' });
      assertNoParentFigures(JSON.stringify(catalog.body));
      const one = await h.http.get(`/catalog/items/${A}`).set(as('sub')).expect(200);
      assertNoParentFigures(JSON.stringify(one.body));

      const parentBooks = await h.http.get(`/price-books?resellerId=${party.top.id}`).set(as('sub')).expect(404);
      expect(parentBooks.body.code).toBe('PARTY_NOT_FOUND');
      const topBooks = await h.http.get(`/price-books?resellerId=${party.top.id}`).set(as('top')).expect(200);
      for (const version of topBooks.body.items as { id: string }[]) {
        const hidden = await h.http.get(`/price-books/${version.id}`).set(as('sub')).expect(404);
        expect(hidden.body.code).toBe('PRICE_BOOK_NOT_FOUND');
      }
      const own = await h.http.get('/price-books?pageSize=200').set(as('sub')).expect(200);
      expect(new Set((own.body.items as { resellerId: string }[]).map((v) => v.resellerId))).toEqual(new Set([party.sub.id]));
      await h.http.get(`/catalog/items/${A}/prices`).set(as('sub')).expect(403);

      // Top, a direct reseller, pays wholesale: that is its own cost, which it may see.
      const topCatalog = await h.http.get(`/catalog/items/${A}`).set(as('top')).expect(200);
      expect(topCatalog.body.yourPrices).toEqual({ currency: 'EUR', unitCost: '12.40', clientUnitPrice: '15.50' });
      expect(topCatalog.body).not.toHaveProperty('wholesalePrice');
    });

    it('shows a client user only its own prices', async () => {
      const client = await h.http.post('/quotes').set(as('client')).send({ clientId: party.client.id, lines: billOfMaterials() }).expect(200);
      expect(client.body).toEqual({
        view: 'client',
        clientId: party.client.id,
        currency: 'EUR',
        asOf: expect.any(String),
        monthlyTotal: '225.32',
        lines: [
          { ref: 'app-servers', sku: A, name: 'vCPU', category: 'compute', unit: 'vCPU', quantity: '4', unitPrice: '15.26688', amount: '61.07' },
          { ref: null, sku: B, name: 'SSD storage', category: 'storage', unit: 'GB', quantity: '500', unitPrice: '0.1485', amount: '74.25' },
          { ref: null, sku: C, name: 'Licence', category: 'licence', unit: 'licence', quantity: '2', unitPrice: '45.00', amount: '90.00' },
        ],
      });
      const catalog = await h.http.get(`/catalog/items?q=E2E-${run}`).set(as('client')).expect(200);
      expect(catalog.body.items.length).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(catalog.body)).not.toMatch(/wholesalePrice|yourPrices|unitPrice|unitCost/);

      // Not another client's prices, nor may it read price books.
      const umbrella = (await h.app.get(EntityManager).fork().findOneOrFail(Party, { code: 'client-umbrella' })).id;
      await h.http
        .post('/quotes')
        .set(as('client'))
        .send({ clientId: umbrella, lines: [{ sku: 'VCPU', quantity: '1' }] })
        .expect(404);
      await h.http.get('/price-books').set(as('client')).expect(403);

      // The seeded client sees its negotiated vCPU price (fixed 14.50) and Acme's 25 % on RAM (4.50 → 5.625).
      const uma = await h.login('user@umbrella.demo');
      const seeded = await h.http
        .post('/quotes')
        .set({ Authorization: `Bearer ${uma}` })
        .send({
          clientId: umbrella,
          asOf: '2026-06-01T00:00:00Z',
          lines: [
            { sku: 'VCPU', quantity: '2' },
            { sku: 'RAM-GB', quantity: '8' },
          ],
        })
        .expect(200);
      expect(seeded.body).toMatchObject({
        view: 'client',
        monthlyTotal: '74.00',
        lines: [
          { unitPrice: '14.50', amount: '29.00' },
          { unitPrice: '5.625', amount: '45.00' },
        ],
      });
    });

    it('uses the versions in force at asOf: a later price change does not alter today’s quote', async () => {
      const later = await h.http
        .post('/quotes')
        .set(as('operator'))
        .send({ clientId: party.client.id, asOf: '2031-02-01T00:00:00Z', lines: [{ sku: A, quantity: '4' }] })
        .expect(200);
      // 13.00 → Top +8 % = 14.04 → Sub 14.04 × 1.20 × 0.95 = 16.0056; × 4 = 64.0224 → 64.02.
      expect(later.body.lines[0]).toMatchObject({ wholesaleAmount: '52.00', unitPrice: '16.0056', amount: '64.02' });
      const today = await h.http
        .post('/quotes')
        .set(as('operator'))
        .send({ clientId: party.client.id, lines: [{ sku: A, quantity: '4' }] })
        .expect(200);
      expect(today.body.lines[0]).toMatchObject({ wholesaleAmount: '49.60', amount: '61.07' });
    });

    it('refuses bad lines, naming the field', async () => {
      const quote = (lines: object[]) => h.http.post('/quotes').set(as('sub')).send({ clientId: party.client.id, lines });
      const number = await quote([{ sku: A, quantity: 3 }]).expect(400);
      expect(number.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'lines[0].quantity', problem: 'must be a decimal string such as "4", not a JSON number' }],
      });
      const unknown = await quote([
        { sku: A, quantity: '1' },
        { sku: `NOPE-${run}`, quantity: '1' },
      ]).expect(400);
      expect(unknown.body).toMatchObject({ code: 'PRICING_UNKNOWN_SKU', fields: [{ field: 'lines[1].sku' }] });
      const negative = await quote([{ sku: A, quantity: '-1' }]).expect(400);
      expect(negative.body).toMatchObject({ code: 'PRICING_INVALID_QUANTITY', fields: [{ field: 'lines[0].quantity', problem: 'must not be negative' }] });
      const empty = await quote([]).expect(400);
      expect(fieldsOf(empty.body)).toEqual(['lines']);
      const notAClient = await h.http.post('/quotes').set(as('top')).send({ clientId: party.sub.id, lines: billOfMaterials() }).expect(400);
      expect(notAClient.body).toMatchObject({ code: 'PRICING_NOT_A_CLIENT', fields: [{ field: 'clientId', problem: 'is not a client' }] });
      const agent = await h.login('alice@northwind.demo');
      await h.http
        .post('/quotes')
        .set({ Authorization: `Bearer ${agent}` })
        .send({ clientId: party.client.id, lines: billOfMaterials() })
        .expect(403);
    });

    it('retires an item: no longer quotable, never deleted', async () => {
      const past = await h.http.post(`/catalog/items/${D}/retire`).set(as('operator')).send({ retiredAt: '2020-01-01T00:00:00Z' }).expect(400);
      expect(past.body.code).toBe('PRICING_EFFECTIVE_IN_PAST');
      const retired = await h.http.post(`/catalog/items/${D}/retire`).set(as('operator')).send({}).expect(200);
      expect(retired.body).toMatchObject({ sku: D, retired: true });
      const again = await h.http.post(`/catalog/items/${D}/retire`).set(as('operator')).send({}).expect(409);
      expect(again.body.code).toBe('CATALOG_ITEM_ALREADY_RETIRED');
      const quote = await h.http
        .post('/quotes')
        .set(as('sub'))
        .send({ clientId: party.client.id, lines: [{ sku: D, quantity: '1' }] })
        .expect(400);
      expect(quote.body).toMatchObject({ code: 'PRICING_ITEM_RETIRED', fields: [{ field: 'lines[0].sku' }] });
      await h.http.delete(`/catalog/items/${D}`).set(as('operator')).expect(404);
      const listed = await h.http.get(`/catalog/items?q=E2E-${run}&retired=true`).set(as('operator')).expect(200);
      expect(listed.body.items.map((i: { sku: string }) => i.sku)).toEqual([D]);
    });
  });

  describe('tenancy between resellers', () => {
    it('gives another reseller 404 on reading or changing this reseller’s price book, overrides and quotes', async () => {
      const topBooks = await h.http.get(`/price-books?resellerId=${party.top.id}`).set(as('top')).expect(200);
      const before = topBooks.body.meta.total;

      const list = await h.http.get(`/price-books?resellerId=${party.top.id}`).set(as('sibling')).expect(404);
      expect(list.body.code).toBe('PARTY_NOT_FOUND');
      for (const version of topBooks.body.items as { id: string }[]) {
        const one = await h.http.get(`/price-books/${version.id}`).set(as('sibling')).expect(404);
        expect(one.body.code).toBe('PRICE_BOOK_NOT_FOUND');
      }
      const change = await h.http
        .post('/price-books')
        .set(as('sibling'))
        .send({ resellerId: party.top.id, audience: 'subResellers', defaultUpliftPercent: '0' })
        .expect(404);
      expect(change.body.code).toBe('PARTY_NOT_FOUND');
      const mine = await h.http.get('/price-books?pageSize=200').set(as('sibling')).expect(200);
      expect((mine.body.items as { resellerId: string }[]).every((v) => v.resellerId === party.sibling.id)).toBe(true);

      const overrides = await h.http.get(`/client-overrides?clientId=${party.client.id}`).set(as('sub')).expect(200);
      await h.http.get(`/client-overrides/${overrides.body.items[0].id}`).set(as('sibling')).expect(404);
      await h.http.get(`/client-overrides?clientId=${party.client.id}`).set(as('sibling')).expect(404);
      await h.http.post('/client-overrides').set(as('sibling')).send({ clientId: party.client.id, sku: A, kind: 'fixed', fixedUnitPrice: '0.01' }).expect(404);
      await h.http.post(`/client-overrides/${overrides.body.items[0].id}/end`).set(as('sibling')).send({}).expect(404);
      await h.http.post('/quotes').set(as('sibling')).send({ clientId: party.client.id, lines: billOfMaterials() }).expect(404);

      const after = await h.http.get(`/price-books?resellerId=${party.top.id}`).set(as('top')).expect(200);
      expect(after.body.meta.total).toBe(before);
    });

    it('lets the client’s reseller end a negotiated price; the book applies again from then', async () => {
      const overrides = await h.http.get(`/client-overrides?clientId=${party.client.id}`).set(as('sub')).expect(200);
      const ended = await h.http
        .post(`/client-overrides/${overrides.body.items[0].id}/end`)
        .set(as('sub'))
        .send({ effectiveTo: '2032-01-01T00:00:00Z' })
        .expect(200);
      expect(ended.body.effectiveTo).toBe('2032-01-01T00:00:00.000Z');
      const after = await h.http
        .post('/quotes')
        .set(as('sub'))
        .send({ clientId: party.client.id, asOf: '2032-02-01T00:00:00Z', lines: [{ sku: A, quantity: '4' }] })
        .expect(200);
      // 13.00 → 14.04 → Sub's book +20 % = 16.848; × 4 = 67.392 → 67.39.
      expect(after.body.lines[0]).toMatchObject({ unitPrice: '16.848', amount: '67.39', flags: [] });
    });
  });

  it('documents the pricing endpoints in OpenAPI', async () => {
    const response = await h.http.get('/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/catalog/items',
        '/catalog/items/{sku}/prices',
        '/catalog/items/{sku}/retire',
        '/price-books',
        '/price-books/{id}',
        '/client-overrides',
        '/client-overrides/{id}/end',
        '/quotes',
      ]),
    );
  });

  /**
   * What Sub must never see: the wholesale prices and amounts (Top's cost) and Top's margins, as
   * JSON strings, nor Top's id or any wholesale field.
   */
  function assertNoParentFigures(json: string): void {
    expect(json).not.toMatch(/wholesale/i);
    expect(json).not.toContain(party.top.id);
    for (const figure of ['12.40', '12.4', '0.125', '30.00', '30', '49.60', '62.50', '60.00', '172.10', '3.97', '6.25', '6.00', '16.22']) {
      expect(json).not.toContain(`"${figure}"`);
    }
  }
});
