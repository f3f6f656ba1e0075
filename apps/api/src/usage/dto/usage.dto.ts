import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { RESOURCE_EVENT_KINDS, USAGE_SOURCES } from '@wholesail/domain';
import { USAGE_IMPORT_FORMATS, USAGE_IMPORT_STATUSES } from '@wholesail/persistence';
import { USAGE_EVENTS_MAX_BATCH } from '@wholesail/usage';
import { IsInstant } from '../../common/decimal-string';
import { PageMeta, PageQuery } from '../../common/pagination';

/**
 * One resource event as sent. The fields are checked by the billing domain's rules
 * (libs/domain/src/billing/usage-input.ts), which name each field at fault (`events[2].quantity`);
 * here they are only allowed through.
 */
export class ResourceEventDto {
  @ApiProperty({
    example: 'prov-7f3a:vm-42:start',
    description: 'unique per event, 1–200 visible ASCII characters; a re-sent event with the same ID is ignored',
  })
  @Allow()
  transactionId!: string;

  @ApiProperty({ format: 'uuid', description: 'the client the resource belongs to' })
  @Allow()
  clientId!: string;

  @ApiProperty({ example: 'vm-42', description: 'the platform’s id of the resource, 1–200 visible ASCII characters; one client and SKU per resource' })
  @Allow()
  resourceId!: string;

  @ApiProperty({ example: 'VCPU', description: 'a catalog SKU with a wholesale price in force at occurredAt' })
  @Allow()
  sku!: string;

  @ApiProperty({ enum: RESOURCE_EVENT_KINDS })
  @Allow()
  kind!: string;

  @ApiPropertyOptional({ example: '4', description: 'decimal string ≥ 0 (at most 6 decimals); required for start and change, ignored for stop' })
  @Allow()
  quantity?: string;

  @ApiProperty({ example: '2026-10-15T08:30:00Z', description: 'ISO 8601 with an offset; not in the future (5 minutes of skew allowed)' })
  @Allow()
  occurredAt!: string;
}

export class RecordEventsDto {
  @ApiProperty({ type: [ResourceEventDto], description: `1–${USAGE_EVENTS_MAX_BATCH} events, recorded all or none` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(USAGE_EVENTS_MAX_BATCH)
  @ValidateNested({ each: true })
  @Type(() => ResourceEventDto)
  events!: ResourceEventDto[];
}

export class RecordedEventView {
  @ApiProperty() index!: number;
  @ApiProperty() transactionId!: string;
  @ApiProperty({ enum: ['recorded', 'duplicate'] }) status!: 'recorded' | 'duplicate';
  @ApiProperty({ format: 'uuid' }) eventId!: string;
}

export class RecordEventsResponse {
  @ApiProperty({ type: [RecordedEventView] }) results!: RecordedEventView[];
  @ApiProperty() recorded!: number;
  @ApiProperty() duplicates!: number;
}

export class ListEventsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  resourceId?: string;

  @ApiPropertyOptional({ example: '2026-10-01T00:00:00Z', description: 'events that occurred at or after this instant' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'events that occurred before this instant' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

export class ResourceEventView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() transactionId!: string;
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty() resourceId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty({ enum: RESOURCE_EVENT_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) quantity!: string | null;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ enum: USAGE_SOURCES }) source!: string;
  @ApiProperty({ nullable: true, type: String }) sourceRef!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the billing period whose usage freeze took it; null until a run freezes' })
  freezePeriod!: string | null;
  @ApiProperty({ description: 'frozen by a later period than the one it happened in: billed there as a correction' })
  late!: boolean;
}

export class ResourceEventPage {
  @ApiProperty({ type: [ResourceEventView] }) items!: ResourceEventView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class ImportQuery {
  @ApiPropertyOptional({ example: 'licences-2026-10.csv', description: 'the name to keep with the batch' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  fileName?: string;
}

export class UsageImportErrorView {
  @ApiProperty({ description: 'the line of the file (1 is the first line: a CSV header)' }) line!: number;
  @ApiProperty() field!: string;
  @ApiProperty() problem!: string;
}

export class UsageImportView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) fileName!: string | null;
  @ApiProperty({ enum: USAGE_IMPORT_FORMATS }) format!: string;
  @ApiProperty({ enum: USAGE_IMPORT_STATUSES }) status!: string;
  @ApiProperty({ description: 'lines with data' }) lineCount!: number;
  @ApiProperty() importedCount!: number;
  @ApiProperty({ description: 'lines already recorded with the same transaction ID and content: ignored' }) duplicateCount!: number;
  @ApiProperty() errorCount!: number;
  @ApiProperty({ type: [UsageImportErrorView], description: 'the first 100 errors, in line order' }) errors!: UsageImportErrorView[];
  @ApiProperty() byteCount!: number;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() completedAt!: string;
}
