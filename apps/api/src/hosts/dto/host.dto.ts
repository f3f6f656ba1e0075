import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_CAPACITY } from '@wholesail/domain';
import { TAG_PATTERN, TAG_PROBLEM } from '@wholesail/hypervisors';
import { HOST_KINDS, HOST_STATUSES, type HostKind, type HostStatus } from '@wholesail/persistence';
import { ApiErrorBody } from '../../common/api-error';
import { PageMeta, PageQuery } from '../../common/pagination';

export class CapacityDto {
  @ApiProperty({ example: 64, description: 'whole vCPUs' })
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  vcpu!: number;

  @ApiProperty({ example: 256, description: 'whole GB of RAM' })
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  ramGb!: number;

  @ApiProperty({ example: 4096, description: 'whole GB of storage' })
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  storageGb!: number;
}

export class CapacityChangeDto {
  @ApiPropertyOptional({ example: 96 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  vcpu?: number;

  @ApiPropertyOptional({ example: 384 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  ramGb?: number;

  @ApiPropertyOptional({ example: 8192 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  storageGb?: number;
}

/** Connection fields of both kinds; the service checks which belong to the host's kind. */
class HostConnectionDto {
  @ApiPropertyOptional({ example: 'https://vcenter.example.com/sdk', description: 'vSphere: the SDK endpoint' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  sdkUrl?: string;

  @ApiPropertyOptional({ example: 'svc-wholesail@vsphere.local', description: 'vSphere' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  username?: string;

  @ApiPropertyOptional({ description: 'vSphere: stored encrypted (AES-256-GCM under SECRETS_KEY), never returned', writeOnly: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  password?: string;

  @ApiPropertyOptional({ example: 'DC0', description: 'vSphere: datacenter (inventory path)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  datacenter?: string;

  @ApiPropertyOptional({ example: 'DC0_C0', description: 'vSphere: cluster whose root resource pool runs the VMs' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cluster?: string;

  @ApiPropertyOptional({ example: 'LocalDS_0', description: 'vSphere: datastore for VM disks' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  datastore?: string;

  @ApiPropertyOptional({
    example: 'DVS0',
    description: 'vSphere: the distributed switch new networks (port groups) go on · libvirt: the host bridge (default wsbr0)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  network?: string;

  @ApiPropertyOptional({ description: 'vSphere: accept any TLS certificate (labs, vcsim); prefer caCertificate' })
  @IsOptional()
  @IsBoolean()
  insecureTls?: boolean;

  @ApiPropertyOptional({ type: String, description: 'vSphere: PEM certificate(s) to trust for the SDK endpoint; null removes', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(20_000)
  caCertificate?: string | null;

  @ApiPropertyOptional({ example: 'qemu:///system', description: 'libvirt: connection URI' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  uri?: string;
}

export class CreateHostDto extends HostConnectionDto {
  @ApiProperty({ example: 'esx-cluster-a' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: HOST_KINDS })
  @IsIn(HOST_KINDS, { message: `kind must be one of: ${HOST_KINDS.join(', ')}` })
  kind!: HostKind;

  @ApiProperty({ type: CapacityDto, description: 'what the host offers to placement' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CapacityDto)
  capacity!: CapacityDto;

  @ApiPropertyOptional({ type: [String], example: ['ssd', 'eu-west'], description: 'placement matches required tags exactly' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'VM-LINUX': 'tpl-ubuntu-24' },
    description:
      'VM templates the host offers: catalog template SKU → template VM (vSphere) or domain (libvirt) on the host; placement takes only hosts offering every template of a plan',
  })
  @IsOptional()
  @IsObject()
  templates?: Record<string, string>;

  @ApiPropertyOptional({ enum: HOST_STATUSES, default: 'active', description: 'only active hosts take new reservations' })
  @IsOptional()
  @IsIn(HOST_STATUSES, { message: `status must be one of: ${HOST_STATUSES.join(', ')}` })
  status?: HostStatus;
}

export class UpdateHostDto extends HostConnectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: CapacityChangeDto, description: 'dimensions not given keep their value; never below what is reserved' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CapacityChangeDto)
  capacity?: CapacityChangeDto;

  @ApiPropertyOptional({ type: [String], description: 'replaces the tags' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'VM-LINUX': 'tpl-ubuntu-24' },
    description: 'VM templates the host offers: catalog template SKU → template VM (vSphere) or domain (libvirt) on the host; replaces the map',
  })
  @IsOptional()
  @IsObject()
  templates?: Record<string, string>;

  @ApiPropertyOptional({ enum: HOST_STATUSES })
  @IsOptional()
  @IsIn(HOST_STATUSES, { message: `status must be one of: ${HOST_STATUSES.join(', ')}` })
  status?: HostStatus;
}

export class ListHostsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: HOST_KINDS })
  @IsOptional()
  @IsIn(HOST_KINDS, { message: `kind must be one of: ${HOST_KINDS.join(', ')}` })
  kind?: HostKind;

  @ApiPropertyOptional({ enum: HOST_STATUSES })
  @IsOptional()
  @IsIn(HOST_STATUSES, { message: `status must be one of: ${HOST_STATUSES.join(', ')}` })
  status?: HostStatus;

  @ApiPropertyOptional({ description: 'hosts carrying this tag' })
  @IsOptional()
  @IsString()
  @Matches(TAG_PATTERN, { message: `tag ${TAG_PROBLEM}` })
  tag?: string;
}

export class CapacityView {
  @ApiProperty() vcpu!: number;
  @ApiProperty() ramGb!: number;
  @ApiProperty() storageGb!: number;
}

export class HostCheckView {
  @ApiProperty({ description: 'the driver connected and found what the record names' }) ok!: boolean;
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ example: 'VMware vCenter Server 6.5.0 build-5973321' }) product?: string;
  @ApiPropertyOptional() vms?: number;
  @ApiPropertyOptional() networks?: number;
  @ApiPropertyOptional({ type: [String], example: ['datacenter DC0', 'cluster DC0_C0'] }) checked?: string[];
  @ApiPropertyOptional({
    type: ApiErrorBody,
    example: { code: 'HYPERVISOR_AUTH_FAILED', message: 'vSphere Login: Login failure (vSphere fault InvalidLogin)' },
  })
  error?: { code: string; message: string };
}

export class HostView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: HOST_KINDS }) kind!: HostKind;
  @ApiProperty({ enum: HOST_STATUSES }) status!: HostStatus;
  @ApiProperty({
    description:
      'vSphere: sdkUrl, username, datacenter, cluster, datastore, network, insecureTls, hasCaCertificate · libvirt: uri, network. Never the password.',
    example: { uri: 'qemu:///system', network: 'wsbr0' },
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }], nullable: true },
  })
  connection!: Record<string, string | boolean | null>;
  @ApiProperty({ type: CapacityView }) capacity!: CapacityView;
  @ApiProperty({ type: CapacityView, description: 'held by reservations that are reserved or committed' }) reserved!: CapacityView;
  @ApiProperty({ type: CapacityView, description: 'capacity − reserved' }) free!: CapacityView;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'VM-LINUX': 'tpl-ubuntu-24' },
    description: 'catalog template SKU → template name on the host',
  })
  templates!: Record<string, string>;
  @ApiProperty({ type: HostCheckView, nullable: true }) lastCheck!: HostCheckView | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class HostPage {
  @ApiProperty({ type: [HostView] }) items!: HostView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class ReservationView {
  @ApiProperty({ example: 'provision:env-42:web-1' }) key!: string;
  @ApiProperty() hostId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty() vcpu!: number;
  @ApiProperty() ramGb!: number;
  @ApiProperty() storageGb!: number;
  @ApiProperty({ enum: ['reserved', 'committed', 'released'] }) state!: string;
  @ApiProperty() createdAt!: string;
}
