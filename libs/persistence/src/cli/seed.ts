import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from '../seeders/demo-data';
import { runCli } from './run-cli';

/** `npm run seed`: idempotent demo data; prints the demo credentials. */
runCli('seed', async (orm) => {
  const report = await seedDemoData(orm.em.fork());
  console.log(
    `seed: ${report.partiesCreated} parties, ${report.usersCreated} users, ${report.catalogItemsCreated} catalog items, ${report.agreementsCreated} commission agreements, ${report.resellerAssignmentsCreated} reseller assignments, ${report.agentCreditsCreated} agent credits created (existing rows kept)`,
  );
  console.log('\nDemo users (password for all: ' + DEMO_PASSWORD + '):');
  for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(26)} ${user.roles.join(', ').padEnd(18)} ${user.party}`);
});
