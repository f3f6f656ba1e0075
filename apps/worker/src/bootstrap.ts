import { loadConfig } from '@wholesail/config';
import { ensureSchedules } from './schedules';

/** `npm run bootstrap`: creates or updates the Temporal Schedules (see schedules.ts). */
ensureSchedules(loadConfig())
  .then((done) => {
    for (const [id, what] of Object.entries(done)) console.log(`schedule ${id}: ${what}`);
  })
  .catch((error: unknown) => {
    console.error('bootstrap failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
