import { defineQuery } from '@temporalio/workflow';
import type { ProvisioningProgress } from './provisioning.contract';

/** Phase, steps done of total, each step and each resource's state, while a provisioning, resize or deprovisioning runs. */
export const provisioningProgressQuery = defineQuery<ProvisioningProgress>('provisioningProgress');
