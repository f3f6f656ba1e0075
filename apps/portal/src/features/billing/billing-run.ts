/** How a billing run reads on its page: whether to keep polling, how far each step is, which month to propose. */
import type { BillingRun, BillingRunStatusName } from '../../api/types';

/** Statuses in which the workflow still works on its own (awaiting approval waits for finance in the inbox). */
const WORKING: readonly BillingRunStatusName[] = ['running', 'finalising', 'emailing'];

export function isRunWorking(status: BillingRunStatusName): boolean {
  return WORKING.includes(status);
}

/**
 * How often a run's page asks again: often while the workflow works, now and then while it waits
 * for finance (a decision moves it on a moment later), never once it has ended.
 */
export function runRefetchInterval(status: BillingRunStatusName): number | false {
  if (isRunWorking(status)) return 3_000;
  if (status === 'awaiting-approval' || status === 'changes-requested') return 5_000;
  return false;
}

/** A whole percentage of done over total, 0 when there is nothing to do yet, never over 100. */
export function share(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((done / total) * 100));
}

export interface ProgressRow {
  label: string;
  done: number;
  total: number;
  percent: number;
}

/** The run's three counters as rows (clients rated, documents final, e-mails sent). */
export function progressRows(progress: BillingRun['progress']): ProgressRow[] {
  return [
    { label: 'Clients rated', done: progress.clientsRated, total: progress.clientsTotal },
    { label: 'Documents final', done: progress.documentsFinal, total: progress.documentsTotal },
    { label: 'E-mails sent', done: progress.emailsSent, total: progress.emailsTotal },
  ].map((row) => ({ ...row, percent: share(row.done, row.total) }));
}

/** The ledger's order: what clients pay, down to what the operator keeps (the API's JSON has no order of its own). */
const TOTALS_ORDER = ['clientInvoices', 'resellerMargins', 'wholesale', 'distributorCuts', 'operatorFundedAgentCuts', 'carveOuts', 'operatorNet'];

/** A run's totals in the ledger's order; any the portal does not know yet come last, as the API names them. */
export function totalRows(totals: Record<string, string> | null): { name: string; amount: string }[] {
  const rank = (name: string) => (TOTALS_ORDER.includes(name) ? TOTALS_ORDER.indexOf(name) : TOTALS_ORDER.length);
  return Object.entries(totals ?? {})
    .map(([name, amount]) => ({ name, amount }))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

/** The month before `now` as YYYY-MM (the period a month-end run usually bills). */
export function previousPeriod(now: Date): string {
  const year = now.getUTCMonth() === 0 ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
  const month = now.getUTCMonth() === 0 ? 12 : now.getUTCMonth();
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The badge tone of a run's status, in the portal's badge classes. */
export function runTone(status: BillingRunStatusName): string {
  if (status === 'completed') return 'active';
  if (status === 'failed' || status === 'rejected' || status === 'expired') return 'danger';
  return 'open';
}
