import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '@wholesail/config';
import { Application, ormConfig } from '@wholesail/persistence';
import { OnboardingRecords } from '../../activities/onboarding/onboarding.records';
import { insertApplication, onboardingRecords } from '../support/applicants';
import { testEnv, testStack } from '../support/stack';

/** The onboarding workflow's writes on real PostgreSQL: people's text can never fail them. */
describe('OnboardingRecords (integration)', () => {
  let orm: MikroORM;
  let records: OnboardingRecords;

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    records = onboardingRecords(orm.em, loadConfig(testEnv())).records;
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  it('drops control characters from reasons and corrections instead of failing the workflow', async () => {
    // The API refuses them; this guards the workflow should one get in anyway.
    const app = await insertApplication(orm.em.fork());
    await records.setStatus(app.id, 'withdrawn', 'moved\u0000 on');
    await records.applyResubmission(app.id, 2, { name: 'New\u0000 Name', contactName: 'Pat\u0007 Doe' });
    const stored = await orm.em.fork().findOneOrFail(Application, { id: app.id });
    expect([stored.statusReason, stored.name, stored.contactName, stored.round]).toEqual(['moved on', 'New Name', 'Pat Doe', 2]);
  });
});
