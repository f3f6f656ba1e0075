import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ENVIRONMENT_STATES, RESOURCE_STATES, type EnvironmentState, type ProvisioningPlan } from '@wholesail/domain';
import { PageMeta, PageQuery } from '../../common/pagination';

class BillingLineDoc {
  @ApiProperty({ example: 'VCPU' }) sku!: string;
  @ApiProperty({ example: '4', description: 'decimal string' }) quantity!: string;
}

class PlannedNetworkDoc {
  @ApiProperty({ example: 'lan' }) key!: string;
  @ApiProperty({ example: 'LAN' }) name!: string;
  @ApiProperty({ example: '10.0.1.0/24' }) cidr!: string;
  @ApiPropertyOptional({ type: [BillingLineDoc] }) billing?: BillingLineDoc[];
}

class PlannedVmDoc {
  @ApiProperty({ example: 'web' }) key!: string;
  @ApiProperty({ example: 'Web server' }) name!: string;
  @ApiProperty({ example: 'VM-LINUX', description: 'catalog SKU of the VM template; the host maps it to a template of its own' }) template!: string;
  @ApiProperty({ example: 2 }) vcpus!: number;
  @ApiProperty({ example: 4 }) ramGb!: number;
  @ApiProperty({ example: 40, description: 'boot disk' }) diskGb!: number;
  @ApiProperty({ type: [String], example: ['lan'], description: 'network keys, the first one first' }) networks!: string[];
  @ApiPropertyOptional({ type: String, example: 'LIC-WIN-STD', nullable: true }) osLicenceSku?: string | null;
  @ApiProperty({ type: [BillingLineDoc] }) billing!: BillingLineDoc[];
}

class PlannedVolumeDoc {
  @ApiProperty({ example: 'data' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'db' }) vm!: string;
  @ApiProperty({ example: 100 }) sizeGb!: number;
  @ApiPropertyOptional({ type: [BillingLineDoc] }) billing?: BillingLineDoc[];
}

class PlannedPublicIpDoc {
  @ApiProperty({ example: 'web-ip' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'web' }) vm!: string;
  @ApiPropertyOptional({ type: [BillingLineDoc] }) billing?: BillingLineDoc[];
}

class PlacementDoc {
  @ApiPropertyOptional({ type: [String], example: ['eu-west'] }) tags?: string[];
}

/** The provisioning plan (validated by the domain's plan rules; each problem names its field under `plan.`). */
export class ProvisioningPlanDoc {
  @ApiProperty({ format: 'uuid' }) solutionId!: string;
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid', description: "the client's reseller" }) resellerId!: string;
  @ApiProperty({ format: 'uuid' }) designVersionId!: string;
  @ApiPropertyOptional({ example: 3 }) designVersionNo?: number;
  @ApiPropertyOptional({ type: PlacementDoc, description: 'only hosts with every tag take the environment' }) placement?: PlacementDoc;
  @ApiProperty({ type: [PlannedNetworkDoc] }) networks!: PlannedNetworkDoc[];
  @ApiProperty({ type: [PlannedVmDoc] }) vms!: PlannedVmDoc[];
  @ApiProperty({ type: [PlannedVolumeDoc] }) volumes!: PlannedVolumeDoc[];
  @ApiProperty({ type: [PlannedPublicIpDoc] }) publicIps!: PlannedPublicIpDoc[];
}

export class PlanBodyDto {
  @ApiProperty({ type: ProvisioningPlanDoc })
  @IsObject()
  plan!: ProvisioningPlan;
}

export class DeprovisionDto {
  @ApiPropertyOptional({ example: 'contract ended', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ListEnvironmentsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @ApiPropertyOptional({ enum: ENVIRONMENT_STATES })
  @IsOptional()
  @IsIn(ENVIRONMENT_STATES, { message: `state must be one of: ${ENVIRONMENT_STATES.join(', ')}` })
  state?: EnvironmentState;
}

export class EnvironmentQuery {
  @ApiPropertyOptional({ default: true, description: 'ask each VM’s host for its live state (false: the records only)' })
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'], { message: 'live must be true or false' })
  live?: 'true' | 'false';
}

export class ErrorView {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class LiveStateView {
  @ApiProperty({ enum: ['on', 'off', 'suspended', 'missing', 'unknown'], description: '`unknown`: the host did not answer within 3 s (see error)' })
  power!: string;
  @ApiPropertyOptional() vcpus?: number;
  @ApiPropertyOptional() ramGb?: number;
  @ApiPropertyOptional() diskGb?: number;
  @ApiPropertyOptional({ type: [Number] }) dataDisksGb?: number[];
  @ApiPropertyOptional({ type: [String] }) networks?: string[];
  @ApiProperty() checkedAt!: string;
  @ApiPropertyOptional({ type: ErrorView, example: { code: 'HYPERVISOR_UNREACHABLE', message: 'connection refused' } }) error?: ErrorView;
}

export class ResourceView {
  @ApiProperty({ enum: ['network', 'vm', 'volume', 'public-ip'] }) kind!: string;
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RESOURCE_STATES }) state!: string;
  @ApiProperty({ type: String, nullable: true, example: 'ws-5a1e…-web' }) hypervisorName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'vm-63', description: 'the hypervisor’s own id' }) hypervisorId!: string | null;
  @ApiProperty({ type: String, nullable: true }) vmKey!: string | null;
  @ApiProperty({ type: Number, nullable: true }) vcpus!: number | null;
  @ApiProperty({ type: Number, nullable: true }) ramGb!: number | null;
  @ApiProperty({ type: Number, nullable: true }) diskGb!: number | null;
  @ApiProperty({ type: [BillingLineDoc] }) billing!: BillingLineDoc[];
  @ApiProperty({ type: String, nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) stoppedAt!: string | null;
  @ApiPropertyOptional({ type: LiveStateView }) live?: LiveStateView;
}

export class OperationView {
  @ApiProperty({ enum: ['provision', 'resize', 'deprovision'] }) operation!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ example: 'powering-on' }) phase!: string;
  @ApiProperty() stepsDone!: number;
  @ApiProperty() stepsTotal!: number;
  @ApiProperty({ description: 'the operation has not finished' }) running!: boolean;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ type: ErrorView, nullable: true }) error!: ErrorView | null;
}

class HostRefView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
}

export class EnvironmentView {
  @ApiProperty() solutionId!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() clientName!: string;
  @ApiProperty() resellerId!: string;
  @ApiProperty({ enum: ENVIRONMENT_STATES }) state!: string;
  @ApiProperty() generation!: number;
  @ApiProperty() designVersionId!: string;
  @ApiProperty({ type: Number, nullable: true }) designVersionNo!: number | null;
  @ApiPropertyOptional({ type: HostRefView, nullable: true, description: 'operator callers only' }) host?: HostRefView | null;
  @ApiProperty({ type: OperationView }) operation!: OperationView;
  @ApiProperty({ type: [ResourceView] }) resources!: ResourceView[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class EnvironmentPage {
  @ApiProperty({ type: [EnvironmentView] }) items!: EnvironmentView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

class StepView {
  @ApiProperty({ example: 'vm:web:create' }) step!: string;
  @ApiProperty({ example: 'vms' }) phase!: string;
  @ApiProperty({ enum: ['done', 'failed', 'undone', 'undo-failed'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, example: 'VM ws-…-web (vm-63) from tpl-tiny' }) message!: string | null;
  @ApiProperty() at!: string;
}

class ResourceProgressView {
  @ApiProperty() kind!: string;
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RESOURCE_STATES }) state!: string;
  @ApiProperty({ type: String, nullable: true }) hypervisorId!: string | null;
}

export class ProgressView extends OperationView {
  @ApiProperty() solutionId!: string;
  @ApiProperty({ enum: ENVIRONMENT_STATES }) state!: string;
  @ApiProperty({ type: [StepView], description: 'what happened so far, oldest first' }) steps!: StepView[];
  @ApiProperty({ type: [ResourceProgressView] }) resources!: ResourceProgressView[];
}

export class OperationStartedView {
  @ApiProperty() solutionId!: string;
  @ApiProperty({ example: 'provisioning:5a1e…:de51…' }) workflowId!: string;
  @ApiProperty({ description: 'false: a run with this workflow ID was already running (this request joined it)' }) started!: boolean;
  @ApiProperty({ example: '/environments/5a1e…/progress' }) progressUrl!: string;
}
