import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BillingRunProgress, RerateInput } from './billing-run.contract';

/** Where the run stands: phase, clients rated of total, documents, e-mails sent of total. */
export const runProgressQuery = defineQuery<BillingRunProgress>('runProgress');

/**
 * After finance requested changes and the data was fixed: rate the period again (a new round,
 * drafts replaced, approval asked anew). Refused at once (BILLING_RUN_NOT_AWAITING_RERATE) unless
 * the run waits for it.
 */
export const rerateUpdate = defineUpdate<BillingRunProgress, [RerateInput]>('rerate');
