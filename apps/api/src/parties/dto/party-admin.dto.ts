import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import type { PartyKind } from '@wholesail/domain';
import { IsInstant } from '../../common/decimal-string';

export const CREATABLE_KINDS = ['distributor', 'agent', 'reseller', 'client'] as const satisfies readonly PartyKind[];
const COLOR = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
export const PARTY_CODE = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** A reseller's brand. In a PATCH, a field set to null removes it. */
export class BrandingDto {
  @ApiPropertyOptional({ example: 'https://acme.example/logo.png', nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'logoUrl must be an http(s) URL' })
  @MaxLength(500)
  logoUrl?: string | null;

  @ApiPropertyOptional({ example: '#0b5cab', nullable: true })
  @IsOptional()
  @Matches(COLOR, { message: 'primaryColor must be a colour like #0b5cab' })
  primaryColor?: string | null;

  @ApiPropertyOptional({ example: '#f59e0b', nullable: true })
  @IsOptional()
  @Matches(COLOR, { message: 'accentColor must be a colour like #f59e0b' })
  accentColor?: string | null;
}

export class CreatePartyDto {
  @ApiProperty({ enum: CREATABLE_KINDS })
  @IsDefined({ message: 'kind is required' })
  @IsIn(CREATABLE_KINDS, { message: `kind must be one of: ${CREATABLE_KINDS.join(', ')}` })
  kind!: (typeof CREATABLE_KINDS)[number];

  @ApiProperty({ example: 'Acme MSP' })
  @Transform(trim)
  @IsDefined({ message: 'name is required' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'acme-msp', description: 'stable business key: lower-case letters, digits and dashes; derived from the name when omitted' })
  @IsOptional()
  @Matches(PARTY_CODE, { message: 'code must be 1–80 lower-case letters, digits and inner dashes, e.g. acme-msp' })
  code?: string;

  @ApiPropertyOptional({
    description:
      'the party it sits under (default your own party): the operator or a distributor for a top-level reseller, a reseller for a sub-reseller or a client, a distributor for an agent',
  })
  @IsOptional()
  @IsUUID('all', { message: 'parentId must be a UUID' })
  parentId?: string;

  @ApiPropertyOptional({ description: 'clients only: the agent credited with finding it; must work for the distributor of the client’s top-level reseller' })
  @IsOptional()
  @IsUUID('all', { message: 'foundById must be a UUID' })
  foundById?: string;

  @ApiPropertyOptional({
    example: '2025-12-01T00:00:00Z',
    description:
      'clients only: customer since (default: now). May lie in the past, back to 1970, for a client moved from another platform, never in the future; an agent’s first-N-months and the per-active-client fee count from it, and the agent credit (foundById) starts then',
  })
  @IsOptional()
  @IsInstant()
  activeSince?: string;

  @ApiProperty({ example: 'billing@acme.example', description: 'where documents (invoices, statements) go' })
  @Transform(trimLower)
  @IsDefined({ message: 'billingEmail is required' })
  @MaxLength(320)
  @IsEmail({}, { message: 'billingEmail must be an email address' })
  billingEmail!: string;

  @ApiPropertyOptional({ example: 'ops@acme.example', description: 'where operational e-mail goes (approvals, reminders)' })
  @Transform(trimLower)
  @IsOptional()
  @MaxLength(320)
  @IsEmail({}, { message: 'notificationEmail must be an email address' })
  notificationEmail?: string;

  @ApiPropertyOptional({
    example: 'NL 8123.4567-8B01',
    description: 'normalised (upper case, no spaces, dots or dashes); two-letter country code and 2–13 letters or digits',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  taxId?: string;

  @ApiPropertyOptional({ type: BrandingDto, description: 'resellers only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BrandingDto)
  branding?: BrandingDto;
}

/**
 * Contacts and branding (the party's own admin or an admin above it); name and tax ID (an admin
 * above it). Status changes go through `POST /parties/{id}/status-requests`.
 */
export class UpdatePartyDto {
  @ApiPropertyOptional({ example: 'Acme Managed Services' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'billing@acme.example', description: 'cannot be removed' })
  @Transform(trimLower)
  @ValidateIf((dto: UpdatePartyDto) => dto.billingEmail !== undefined)
  @MaxLength(320)
  @IsEmail({}, { message: 'billingEmail must be an email address' })
  billingEmail?: string;

  @ApiPropertyOptional({ example: 'ops@acme.example', nullable: true, description: 'null removes it' })
  @Transform(trimLower)
  @IsOptional()
  @MaxLength(320)
  @IsEmail({}, { message: 'notificationEmail must be an email address' })
  notificationEmail?: string | null;

  @ApiPropertyOptional({ example: 'NL812345678B01', nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  taxId?: string | null;

  @ApiPropertyOptional({
    example: '2025-12-01T00:00:00Z',
    description:
      'clients only, by an admin above the client: customer since (1970 up to now), while no finalised billing period depends on it: both the stored and the new date must lie at or after the end of the latest finalised period. The first agent credit moves with it',
  })
  @IsOptional()
  @IsInstant()
  activeSince?: string;

  @ApiPropertyOptional({
    type: BrandingDto,
    nullable: true,
    description: 'resellers only; the given fields replace the stored ones (null removes one), null removes the branding',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => BrandingDto)
  branding?: BrandingDto | null;
}

export class BrandingView {
  @ApiPropertyOptional() logoUrl?: string;
  @ApiPropertyOptional() primaryColor?: string;
  @ApiPropertyOptional() accentColor?: string;
}
