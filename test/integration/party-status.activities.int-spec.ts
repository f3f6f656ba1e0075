import { MikroORM } from '@mikro-orm/postgresql';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { DEMO_PARTIES, Party, PartyStatusChange, ormConfig, seedDemoData } from '@wholesail/persistence';
import { PartyStatusActivities } from '../../activities/parties/party-status.activities';
import { testStack } from '../support/stack';

/** The activity against real PostgreSQL with the real migrations: idempotent, and business errors don't retry. */
describe('PartyStatusActivities (integration)', () => {
  let orm: MikroORM;
  let activities: PartyStatusActivities;

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    activities = new PartyStatusActivities(orm.em);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  async function newClient(code: string): Promise<Party> {
    const em = orm.em.fork();
    const reseller = await em.findOneOrFail(Party, { code: 'reseller-direct' });
    const client = Party.create({ kind: 'client', name: code, code, parent: reseller });
    await em.persistAndFlush(client);
    return client;
  }

  // Expected failures are asserted below; keep the mock environment's logger quiet about them.
  const quiet = new DefaultLogger('ERROR');
  const envFor = (workflowId: string) => new MockActivityEnvironment({ workflowExecution: { workflowId, runId: 'run-1' } } as never, { logger: quiet });

  it('applies a change once, however often the activity is retried', async () => {
    const client = await newClient(`int-client-${Date.now()}`);
    const input = { partyId: client.id, status: 'suspended' as const, reason: 'integration', requestedBy: 'user:test' };
    const env = envFor(`party-status:${client.id}:once`);
    const first = await env.run(activities.applyPartyStatus.bind(activities), input);
    const second = await env.run(activities.applyPartyStatus.bind(activities), input);
    expect(first).toMatchObject({ previousStatus: 'active', status: 'suspended', changed: true });
    expect(second).toMatchObject({ previousStatus: 'active', status: 'suspended', changed: false });
    const em = orm.em.fork();
    expect((await em.findOneOrFail(Party, { id: client.id })).status).toBe('suspended');
    expect(await em.count(PartyStatusChange, { party: client.id })).toBe(1);
  });

  it('turns an invalid transition into a non-retryable failure and writes nothing', async () => {
    const client = await newClient(`int-closed-${Date.now()}`);
    const run = (status: 'closed' | 'active', key: string) =>
      envFor(`party-status:${client.id}:${key}`).run(activities.applyPartyStatus.bind(activities), {
        partyId: client.id,
        status,
        reason: 'integration',
        requestedBy: 'user:test',
      });
    await run('closed', 'close');
    const failure = await run('active', 'reopen').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'PARTY_INVALID_TRANSITION', nonRetryable: true });
    const em = orm.em.fork();
    expect((await em.findOneOrFail(Party, { id: client.id })).status).toBe('closed');
    expect(await em.count(PartyStatusChange, { party: client.id })).toBe(1);
  });

  it('never fails on control characters in the reason: they are dropped where it is written', async () => {
    // The API refuses them; this is the last line of defence should one ever get into a workflow.
    const client = await newClient(`int-nul-${Date.now()}`);
    const result = await envFor(`party-status:${client.id}:nul`).run(activities.applyPartyStatus.bind(activities), {
      partyId: client.id,
      status: 'suspended' as const,
      reason: 'unpaid\u0000 invoices\u0007\n(see ticket)',
      requestedBy: 'user:test\u0000',
    });
    expect(result).toMatchObject({ status: 'suspended', changed: true });
    const change = await orm.em.fork().findOneOrFail(PartyStatusChange, { party: client.id });
    expect([change.reason, change.requestedBy]).toEqual(['unpaid invoices\n(see ticket)', 'user:test']);
  });

  it('reports an unknown party as a non-retryable failure', async () => {
    const failure = await envFor('party-status:x:y')
      .run(activities.applyPartyStatus.bind(activities), {
        partyId: '00000000-0000-4000-8000-00000000dead',
        status: 'suspended' as const,
        reason: 'integration',
        requestedBy: 'user:test',
      })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: 'PARTY_NOT_FOUND', nonRetryable: true });
  });

  it('seeds demo data idempotently', async () => {
    // Only the demo parties are counted: other files create parties of their own concurrently.
    const demo = { code: { $in: DEMO_PARTIES.map((p) => p.code) } };
    const before = await orm.em.fork().count(Party, demo);
    const report = await seedDemoData(orm.em.fork());
    expect(report).toEqual({
      partiesCreated: 0,
      usersCreated: 0,
      catalogItemsCreated: 0,
      priceBooksCreated: 0,
      clientOverridesCreated: 0,
      agreementsCreated: 0,
      resellerAssignmentsCreated: 0,
      agentCreditsCreated: 0,
    });
    expect(await orm.em.fork().count(Party, demo)).toBe(before);
  });

  it('has migrations that match the entities exactly', async () => {
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });
});
