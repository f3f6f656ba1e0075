import { Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { ENVIRONMENT_STATES, type EnvironmentOperation, type EnvironmentState, type ProvisioningPlan } from '@wholesail/domain';
import { Host } from './host.entity';
import { Party } from './party.entity';

export const ENVIRONMENT_OPERATIONS = ['provision', 'resize', 'deprovision'] as const;

/**
 * What runs for one solution (keyed by the solution's id): its state, the design version and plan
 * it was built from, the host and capacity reservation it holds, and the workflow run that owns it
 * while it changes (`workflowId` + `runId`, claimed under a row lock, so two runs never change one
 * environment at once). Written only by the provisioning activities; the environments API reads it.
 * The solution row belongs to the designs library; the plan carries its id, so provisioning needs
 * nothing of it.
 */
@Entity({ tableName: 'environment' })
@Index({ properties: ['client'] })
@Index({ properties: ['reseller'] })
export class Environment {
  @PrimaryKey({ type: 'uuid' })
  solutionId!: string;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  client!: Rel<Party>;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  reseller!: Rel<Party>;

  @Enum({ items: () => ENVIRONMENT_STATES, nativeEnumName: 'environment_state' })
  state!: EnvironmentState;

  /** One more each time a provisioning starts from nothing (first time, after a failure or a deprovisioning). */
  @Property({ type: 'integer', default: 1 })
  generation: number & Opt = 1;

  /** The design version it runs, or is being built or resized to. */
  @Property({ type: 'uuid' })
  designVersionId!: string;

  @Property({ type: 'integer', nullable: true })
  designVersionNo?: number | null;

  /** The plan it runs (for a provisioning: the plan being built). */
  @Property({ type: 'json', columnType: 'jsonb' })
  plan!: ProvisioningPlan;

  /** While resizing: the plan it is resized to. */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  targetPlan?: ProvisioningPlan | null;

  @ManyToOne(() => Host, { deleteRule: 'restrict', nullable: true })
  host?: Rel<Host> | null;

  /** The capacity reservation holding the environment's resources on its host. */
  @Property({ type: 'string', length: 300, nullable: true })
  reservationKey?: string | null;

  @Enum({ items: () => ENVIRONMENT_OPERATIONS, nativeEnumName: 'environment_operation' })
  operation!: EnvironmentOperation;

  /** The workflow run that owns it (busy states) or last changed it. */
  @Property({ type: 'string', length: 300 })
  workflowId!: string;

  @Property({ type: 'string', length: 100 })
  runId!: string;

  /** Where the last operation stands (ProvisioningPhase). */
  @Property({ type: 'string', length: 32 })
  phase!: string;

  @Property({ type: 'integer', default: 0 })
  stepsTotal: number & Opt = 0;

  @Property({ type: 'string', length: 100, nullable: true })
  errorCode?: string | null;

  @Property({ type: 'text', nullable: true })
  errorMessage?: string | null;

  @Property({ type: 'string', length: 200 })
  requestedBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  operationStartedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  operationFinishedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
