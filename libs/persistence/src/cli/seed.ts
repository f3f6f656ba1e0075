import { seedDemoData } from '../seeders/demo-data';
import { runCli } from './run-cli';

/** `npm run seed`: idempotent demo data. The demo sign-ins are in the README and `npm start`'s banner. */
runCli('seed', async (orm) => {
  const report = await seedDemoData(orm.em.fork());
  console.log(
    `seed: ${report.partiesCreated} parties, ${report.usersCreated} users, ${report.catalogItemsCreated} catalog items, ${report.agreementsCreated} commission agreements, ${report.resellerAssignmentsCreated} reseller assignments created (existing rows kept)`,
  );
});
