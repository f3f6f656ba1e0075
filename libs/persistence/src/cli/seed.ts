import { loadConfig } from '@wholesail/config';
import { seedDemoHosts } from '@wholesail/hypervisors';
import { seedDemoData } from '../seeders/demo-data';
import { runCli } from './run-cli';

/** `npm run seed`: idempotent demo data. The demo sign-ins are in the README and `npm start`'s banner. */
runCli('seed', async (orm) => {
  const report = await seedDemoData(orm.em.fork());
  console.log(
    `seed: ${report.partiesCreated} parties, ${report.usersCreated} users, ${report.catalogItemsCreated} catalog items, ${report.agreementsCreated} commission agreements, ${report.resellerAssignmentsCreated} reseller assignments, ${report.agentCreditsCreated} agent credits created (existing rows kept)`,
  );
  const hosts = await seedDemoHosts(orm.em.fork(), loadConfig().secretsKey);
  console.log(
    `seed: hosts created: ${hosts.created.join(', ') || 'none'}${hosts.updated.length ? `; updated: ${hosts.updated.join(', ')}` : ''}` +
      (process.env.VCSIM_URL ? '' : ' (no vcsim running: no demo vSphere host)'),
  );
  if (hosts.templateProblem) console.warn(`seed: the demo vSphere template could not be made: ${hosts.templateProblem}`);
});
