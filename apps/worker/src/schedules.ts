import { Client, Connection } from '@temporalio/client';
import { ensureBillingSchedule } from '@wholesail/billing';
import type { AppConfig } from '@wholesail/config';

/**
 * The bootstrap step for recurring work: creates or updates every Temporal Schedule (today the
 * monthly billing run, `billing-monthly`). Run by `npm run bootstrap` and by the worker when it
 * starts, outside Nest's module construction; idempotent.
 */
export async function ensureSchedules(config: AppConfig): Promise<Record<string, string>> {
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    return { 'billing-monthly': await ensureBillingSchedule(client, config) };
  } finally {
    await connection.close();
  }
}
