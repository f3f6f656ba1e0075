import { freshDatabase, type FreshDatabase } from './database';
import { startHarness, type Harness } from './harness';

export interface BillingHarness {
  db: FreshDatabase;
  h: Harness;
  /** Stops the API and worker, then drops the database. */
  close(): Promise<void>;
}

/**
 * The API (and a worker, unless `worker: false`) on a database of their own, for a test that runs
 * a billing run: a run bills every client of the deployment and finalises its period, which the
 * shared database's other files must never see. Periods are UTC months and the deployment goes
 * live in `period`, so versioned records may be dated back to its start. Each file bills a month
 * no other file bills: the run's workflow ID, `billing-run:<period>`, is unique on the shared
 * Temporal server.
 */
export async function startBillingHarness(
  label: string,
  period: string,
  options: { worker?: boolean; env?: Record<string, string> } = {},
): Promise<BillingHarness> {
  const db = await freshDatabase(label);
  try {
    const h = await startHarness({
      worker: options.worker,
      env: { DATABASE_URL: db.url, OPERATOR_TIMEZONE: 'UTC', BILLING_GO_LIVE_FROM: period, ...options.env },
    });
    return {
      db,
      h,
      close: async () => {
        await h.close();
        await db.drop();
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}
