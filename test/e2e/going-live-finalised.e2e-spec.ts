import { EntityManager } from '@mikro-orm/postgresql';
import { BillingPeriods } from '@wholesail/billing';
import { loadConfig } from '@wholesail/config';
import { billingPeriod, periodContaining, shiftPeriodId, type BillingPeriod } from '@wholesail/domain';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { earliestAllowed } from '../support/earliest-allowed';
import { startHarness, type Harness } from '../support/harness';

/**
 * What is finalised never changes, over HTTP: once last month is finalised, every versioned write
 * dated into it is refused with the bound and the reason, and the open month still takes them.
 * On a database of its own (finalising moves the bound for everyone), in Amsterdam time.
 */
describe('going live: a finalised period (e2e)', () => {
  const zone = 'Europe/Amsterdam';
  let db: FreshDatabase;
  let h: Harness;
  const token: Record<string, string> = {};
  const id: Record<string, string> = {};
  const P = (offset: number): BillingPeriod => billingPeriod(shiftPeriodId(periodContaining(new Date(), zone).id, offset), zone);
  const inside = (p: BillingPeriod) => new Date(p.start.getTime() + 10 * 86_400_000).toISOString();
  let reason: string;

  beforeAll(async () => {
    db = await freshDatabase('finalised');
    h = await startHarness({ worker: false, env: { DATABASE_URL: db.url, OPERATOR_TIMEZONE: zone } });
    token.operator = await h.login('admin@wholesail.demo');
    token.acme = await h.login('admin@acme.demo');
    for (const p of (await h.http.get('/parties?pageSize=200').set(as('operator')).expect(200)).body.items as { code: string; id: string }[]) id[p.code] = p.id;
    // What the billing run does once finance approves last month.
    const periods = new BillingPeriods(loadConfig(h.env));
    await periods.finalise(h.app.get(EntityManager).fork(), P(-1).id, 'test:going-live');
    reason = `must not be before ${P(0).start.toISOString()}: billing period ${P(-1).id} is finalised and never changes`;
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  function as(who: string) {
    return { Authorization: `Bearer ${token[who]}` };
  }
  const refusedInto = (body: { code: string; fields: { field: string; problem: string }[] }, code: string, field = 'effectiveFrom') => {
    expect(body).toMatchObject({ code, fields: [{ field }] });
    expect(body.fields[0].problem).toContain(reason);
  };

  it('moves the bound to the start of the open period, in the operator’s zone', async () => {
    expect(await earliestAllowed(h)).toEqual(P(0).start);
  });

  it('refuses every versioned write dated into the finalised period, saying why, and changes nothing', async () => {
    const agreementsBefore = (await h.http.get(`/parties/${id['dist-contoso']}/agreements`).set(as('operator')).expect(200)).body.items;
    refusedInto(
      (
        await h.http
          .post(`/parties/${id['dist-contoso']}/agreements`)
          .set(as('operator'))
          .send({ rate: '0.045', effectiveFrom: inside(P(-1)) })
          .expect(400)
      ).body,
      'AGREEMENT_EFFECTIVE_IN_PAST',
    );
    refusedInto(
      (
        await h.http
          .post('/catalog/items/VCPU/prices')
          .set(as('operator'))
          .send({ unitPrice: '12.50', effectiveFrom: inside(P(-1)) })
          .expect(400)
      ).body,
      'PRICING_EFFECTIVE_IN_PAST',
    );
    refusedInto(
      (
        await h.http
          .post('/price-books')
          .set(as('acme'))
          .send({ audience: 'clients', defaultUpliftPercent: '30', effectiveFrom: inside(P(-1)) })
          .expect(400)
      ).body,
      'PRICING_EFFECTIVE_IN_PAST',
    );
    refusedInto(
      (
        await h.http
          .post('/client-overrides')
          .set(as('acme'))
          .send({ clientId: id['client-umbrella'], sku: 'RAM-GB', kind: 'fixed', fixedUnitPrice: '5.00', effectiveFrom: inside(P(-1)) })
          .expect(400)
      ).body,
      'PRICING_EFFECTIVE_IN_PAST',
    );
    const [override] = (await h.http.get(`/client-overrides?clientId=${id['client-umbrella']}`).set(as('acme')).expect(200)).body.items;
    refusedInto(
      (
        await h.http
          .post(`/client-overrides/${override.id}/end`)
          .set(as('acme'))
          .send({ effectiveTo: inside(P(-1)) })
          .expect(400)
      ).body,
      'PRICING_EFFECTIVE_IN_PAST',
      'effectiveTo',
    );
    refusedInto(
      (
        await h.http
          .post('/catalog/items/BACKUP-GB/retire')
          .set(as('operator'))
          .send({ retiredAt: inside(P(-1)) })
          .expect(400)
      ).body,
      'PRICING_EFFECTIVE_IN_PAST',
      'retiredAt',
    );
    refusedInto(
      (
        await h.http
          .post(`/parties/${id['reseller-globex']}/moves`)
          .set(as('operator'))
          .send({ parentId: id['dist-contoso'], effectiveFrom: inside(P(-1)) })
          .expect(400)
      ).body,
      'PARTY_MOVE_IN_PAST',
    );
    refusedInto(
      (
        await h.http
          .post(`/parties/${id['client-stark']}/credits`)
          .set(as('operator'))
          .send({ agentId: null, effectiveFrom: inside(P(-1)) })
          .expect(400)
      ).body,
      'PARTY_CREDIT_IN_PAST',
    );
    // Umbrella has been a customer since December 2025: the finalised cuts depend on that date.
    const settled = await h.http
      .patch(`/parties/${id['client-umbrella']}`)
      .set(as('acme'))
      .send({ activeSince: P(0).start.toISOString() })
      .expect(409);
    expect(settled.body).toMatchObject({ code: 'PARTY_ACTIVE_SINCE_SETTLED', fields: [{ field: 'activeSince' }] });

    expect((await h.http.get(`/parties/${id['dist-contoso']}/agreements`).set(as('operator')).expect(200)).body.items).toEqual(agreementsBefore);
    expect((await h.http.get(`/parties/${id['reseller-globex']}/assignments`).set(as('operator')).expect(200)).body.meta.total).toBe(1);
    expect((await h.http.get(`/parties/${id['client-stark']}/credits`).set(as('operator')).expect(200)).body.meta.total).toBe(1);
    expect((await h.http.get(`/parties/${id['client-umbrella']}`).set(as('acme')).expect(200)).body.activeSince).toBe('2025-12-01T00:00:00.000Z');
  });

  it('still takes writes from the start of the open period', async () => {
    const from = P(0).start.toISOString();
    const agreement = await h.http
      .post(`/parties/${id['dist-contoso']}/agreements`)
      .set(as('operator'))
      .send({ rate: '0.045', effectiveFrom: from })
      .expect(201);
    expect(agreement.body).toMatchObject({ rate: '0.045', effectiveFrom: from });
    // It closed the seeded version at that instant: the finalised period keeps its rate.
    const versions = (await h.http.get(`/parties/${id['dist-contoso']}/agreements`).set(as('operator')).expect(200)).body.items;
    expect(versions.map((v: { rate: string; effectiveTo: string | null }) => [v.rate, v.effectiveTo])).toEqual([
      ['0.045', null],
      ['0.04', from],
    ]);
    await h.http.post('/price-books').set(as('acme')).send({ audience: 'clients', defaultUpliftPercent: '30', effectiveFrom: from }).expect(201);
    const recredit = await h.http.post(`/parties/${id['client-stark']}/credits`).set(as('operator')).send({ agentId: null, effectiveFrom: from }).expect(201);
    expect(recredit.body).toMatchObject({ agent: null, effectiveFrom: from });
  });
});
