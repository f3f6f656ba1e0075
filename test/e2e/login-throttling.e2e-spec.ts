import { EntityManager } from '@mikro-orm/postgresql';
import { User } from '@wholesail/persistence';
import bcrypt from 'bcryptjs';
import { randomInt } from 'node:crypto';
import { createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

/**
 * Sign-in is throttled per account and per client address: after too many failures the key is
 * blocked (429 with Retry-After), each further block of the same key doubling up to a maximum.
 * Successful sign-ins do not count. Each test uses its own accounts and its own addresses (sent as
 * X-Forwarded-For to this harness, which trusts its proxy), so nothing else is ever blocked.
 */
describe('login throttling (e2e)', () => {
  let h: Harness;
  let operatorId: string;

  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      env: {
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '6',
        LOGIN_FAILURE_WINDOW: '15 minutes',
        LOGIN_BLOCK_BASE: '1 minute',
        LOGIN_BLOCK_MAX: '3 minutes',
      },
    });
    const token = await h.login('admin@wholesail.demo');
    operatorId = (await h.http.get('/parties?kind=operator').set('Authorization', `Bearer ${token}`).expect(200)).body.items[0].id;
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A documentation-range address never used before (in this run or an earlier one on the same database). */
  const run = randomInt(0, 0xffff).toString(16);
  let addresses = 0;
  const address = () => `2001:db8:${run}::${(++addresses).toString(16)}`;
  /** A user of its own, its password hashed cheaply: this file signs in a lot, and bcrypt's cost is not under test. */
  const newUser = async () => {
    const { adminEmail } = await createPartner(h, { kind: 'distributor', parentId: operatorId, role: 'distributor-admin' });
    await h.app
      .get(EntityManager)
      .fork()
      .nativeUpdate(User, { email: adminEmail }, { passwordHash: await bcrypt.hash(FIXTURE_PASSWORD, 4) });
    return adminEmail;
  };
  const login = (email: string, password: string, from: string) => h.http.post('/auth/login').set('X-Forwarded-For', from).send({ email, password });

  /** Ends a block now, as if its time had passed (the counters are rows in PostgreSQL). */
  const endBlocks = () => h.app.get(EntityManager).getConnection().execute(`update throttle_counter set blocked_until = now() where blocked_until > now()`);

  it('blocks an account after repeated failures, from any address, and says when to retry', async () => {
    const email = await newUser();
    for (let i = 0; i < 3; i++) await login(email, 'wrong-password', address()).expect(401);
    const blocked = await login(email, FIXTURE_PASSWORD, address()).expect(429);
    expect(blocked.body).toEqual({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/too many failed sign-ins/i) });
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another account from the same addresses is not affected.
    await login(await newUser(), FIXTURE_PASSWORD, address()).expect(200);
  });

  it('doubles each further block of the same account, up to the maximum', async () => {
    const email = await newUser();
    const blockAfterFailures = async () => {
      const from = address(); // the account's block is tested, not the address's
      for (let i = 0; i < 3; i++) await login(email, 'wrong-password', from).expect(401);
      return Number((await login(email, 'wrong-password', from).expect(429)).headers['retry-after']);
    };
    const first = await blockAfterFailures();
    await endBlocks();
    const second = await blockAfterFailures();
    await endBlocks();
    const third = await blockAfterFailures();
    await endBlocks();
    const fourth = await blockAfterFailures();
    expect(first).toBeLessThanOrEqual(60);
    expect(second).toBeGreaterThan(60);
    expect(second).toBeLessThanOrEqual(120);
    expect(third).toBeGreaterThan(120);
    expect(third).toBeLessThanOrEqual(180);
    expect(fourth).toBeGreaterThan(120);
    expect(fourth).toBeLessThanOrEqual(180); // capped at LOGIN_BLOCK_MAX
  });

  it('does not count successful sign-ins, and a success clears the account’s failures', async () => {
    const email = await newUser();
    const from = address();
    for (let i = 0; i < 8; i++) await login(email, FIXTURE_PASSWORD, from).expect(200);
    await login(email, 'wrong-password', from).expect(401);
    await login(email, 'wrong-password', from).expect(401);
    await login(email, FIXTURE_PASSWORD, from).expect(200);
    await login(email, 'wrong-password', from).expect(401);
    await login(email, 'wrong-password', from).expect(401);
    await login(email, FIXTURE_PASSWORD, from).expect(200);
  });

  it('blocks an address that fails across many accounts, and only that address', async () => {
    const from = address();
    for (let i = 0; i < 6; i++) await login(`nobody-${i}-${from}@nowhere.test`, 'guess', from).expect(401);
    const blocked = await login(`nobody-7-${from}@nowhere.test`, 'guess', from).expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const email = await newUser();
    await login(email, FIXTURE_PASSWORD, from).expect(429);
    await login(email, FIXTURE_PASSWORD, address()).expect(200);
  });

  it('counts an account by its normalised e-mail', async () => {
    const email = await newUser();
    const mixed = email.replace(/^(.)(.)/, (_, a: string, b: string) => a.toUpperCase() + b);
    for (const variant of [email.toUpperCase(), mixed, email]) await login(variant, 'wrong-password', address()).expect(401);
    await login(email, FIXTURE_PASSWORD, address()).expect(429);
  });
});
