import { Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Environment } from './environment.entity';

export const PROVISIONING_STEP_STATUSES = ['done', 'failed', 'undone', 'undo-failed'] as const;
export type ProvisioningStepStatus = (typeof PROVISIONING_STEP_STATUSES)[number];

/**
 * What happened in a provisioning, resize or deprovisioning, step by step, as it happened: the
 * progress the portal polls. One row per run, step and outcome (a retried step records once).
 */
@Entity({ tableName: 'provisioning_step' })
@Unique({ name: 'provisioning_step_once', properties: ['workflowId', 'runId', 'step', 'status'] })
@Index({ properties: ['environment', 'at'] })
export class ProvisioningStep {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Environment, { deleteRule: 'cascade', fieldName: 'solution_id' })
  environment!: Rel<Environment>;

  @Property({ type: 'string', length: 300 })
  workflowId!: string;

  @Property({ type: 'string', length: 100 })
  runId!: string;

  /** `place`, `network:lan`, `vm:web:create`, … */
  @Property({ type: 'string', length: 200 })
  step!: string;

  @Property({ type: 'string', length: 32 })
  phase!: string;

  @Enum({ items: () => PROVISIONING_STEP_STATUSES, nativeEnumName: 'provisioning_step_status' })
  status!: ProvisioningStepStatus;

  /** What was made (the hypervisor id), or why it failed. */
  @Property({ type: 'text', nullable: true })
  message?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at: Date & Opt = new Date();
}
