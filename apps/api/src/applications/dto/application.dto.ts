import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { ONBOARDING_KINDS, ONBOARDING_STATUSES, type OnboardingKind, type OnboardingStatus } from '@wholesail/contracts';
import type { Application } from '@wholesail/persistence';
import { ApiFieldError } from '../../common/api-error';
import { PageMeta, PageQuery } from '../../common/pagination';

const COLOR = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** The brand an applicant proposes (named apart from the parties' BrandingDto, whose fields a PATCH may null). */
export class ApplicationBrandingDto {
  @ApiPropertyOptional({ example: 'https://acme.example/logo.png' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'logoUrl must be an http(s) URL' })
  @MaxLength(500)
  logoUrl?: string;

  @ApiPropertyOptional({ example: '#0b5cab' })
  @IsOptional()
  @Matches(COLOR, { message: 'primaryColor must be a colour like #0b5cab' })
  primaryColor?: string;

  @ApiPropertyOptional({ example: '#f59e0b' })
  @IsOptional()
  @Matches(COLOR, { message: 'accentColor must be a colour like #f59e0b' })
  accentColor?: string;
}

export class SubmitApplicationDto {
  @ApiProperty({ enum: ONBOARDING_KINDS, description: 'a sub-reseller is a reseller with parentResellerId' })
  @IsIn(ONBOARDING_KINDS, { message: `kind must be one of: ${ONBOARDING_KINDS.join(', ')}` })
  kind!: OnboardingKind;

  @ApiProperty({ example: 'Contoso Cloud Services' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Cora Contoso' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  contactName!: string;

  @ApiProperty({ example: 'cora@contoso-cloud.example' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'NL812345678B01', description: 'two-letter country code and 2–13 letters or digits' })
  @IsString()
  @MinLength(4)
  @MaxLength(64)
  taxId!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail({}, { message: 'billingEmail must be an email address' })
  @MaxLength(320)
  billingEmail?: string;

  @ApiPropertyOptional({ type: ApplicationBrandingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ApplicationBrandingDto)
  branding?: ApplicationBrandingDto;

  @ApiPropertyOptional({ description: 'the recruiting distributor (required for an agent; optional for a reseller)' })
  @IsOptional()
  @IsUUID('all', { message: 'sponsorPartyId must be a UUID' })
  sponsorPartyId?: string;

  @ApiPropertyOptional({ description: 'for a sub-reseller: the reseller it will sit under (its sponsor)' })
  @IsOptional()
  @IsUUID('all', { message: 'parentResellerId must be a UUID' })
  parentResellerId?: string;
}

export class ResubmitApplicationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(2) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(2) @MaxLength(200) contactName?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(4) @MaxLength(64) taxId?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail({}, { message: 'billingEmail must be an email address' }) @MaxLength(320) billingEmail?: string;
  @ApiPropertyOptional({ type: ApplicationBrandingDto }) @IsOptional() @ValidateNested() @Type(() => ApplicationBrandingDto) branding?: ApplicationBrandingDto;
  @ApiPropertyOptional({ description: 'a note for the approvers' }) @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class WithdrawApplicationDto {
  @ApiPropertyOptional({ description: 'why, for the record' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ListApplicationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ONBOARDING_STATUSES })
  @IsOptional()
  @IsIn(ONBOARDING_STATUSES, { message: `status must be one of: ${ONBOARDING_STATUSES.join(', ')}` })
  status?: OnboardingStatus;
}

export class ApplicationView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ONBOARDING_KINDS }) kind!: string;
  @ApiProperty({ enum: ONBOARDING_STATUSES }) status!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contactName!: string;
  @ApiProperty() email!: string;
  @ApiProperty() taxId!: string;
  @ApiProperty({ type: String, nullable: true }) sponsorPartyId!: string | null;
  @ApiProperty({ type: String, nullable: true }) parentResellerId!: string | null;
  @ApiProperty() round!: number;
  @ApiProperty({ type: String, nullable: true, description: 'why it ended (rejected, withdrawn, expired)' }) statusReason!: string | null;
  @ApiProperty({ type: [ApiFieldError], nullable: true, description: 'what the automatic checks found, when they rejected it' }) problems!:
    ApiFieldError[] | null;
  @ApiProperty({ type: String, nullable: true, description: 'the partner created on approval' }) partyId!: string | null;
  @ApiProperty() workflowId!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() updatedAt!: string;

  static of(app: Application): ApplicationView {
    return {
      id: app.id,
      kind: app.kind,
      status: app.status,
      name: app.name,
      contactName: app.contactName,
      email: app.email,
      taxId: app.taxId,
      sponsorPartyId: app.sponsor?.id ?? null,
      parentResellerId: app.parentReseller?.id ?? null,
      round: app.round,
      statusReason: app.statusReason ?? null,
      problems: app.problems ?? null,
      partyId: app.createdParty?.id ?? null,
      workflowId: app.workflowId,
      submittedAt: app.createdAt.toISOString(),
      updatedAt: app.updatedAt.toISOString(),
    };
  }
}

export class SubmittedApplicationView {
  @ApiProperty() applicationId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ description: 'false when this repeated an earlier submission (same kind, e-mail and tax ID)' }) created!: boolean;
  @ApiProperty({ description: 'secret for following, withdrawing and resubmitting: send as X-Applicant-Token' }) applicantToken!: string;
  @ApiProperty() statusUrl!: string;
}

export class ChangesRequestedView {
  @ApiProperty() comment!: string;
  @ApiProperty({ description: 'who asked for the changes' }) by!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'the applicant must resubmit by then' }) respondBy!: string;
}

/** Where an application's process stands, as its workflow answers an update (withdraw, resubmit). */
export class ApplicationProgressView {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ enum: ONBOARDING_STATUSES }) status!: OnboardingStatus;
  @ApiProperty() round!: number;
  @ApiPropertyOptional({ description: 'why it ended (rejected, withdrawn, expired)' }) reason?: string;
  @ApiPropertyOptional({ type: [ApiFieldError], description: 'what the automatic checks found, when they rejected it' }) problems?: ApiFieldError[];
  @ApiPropertyOptional({ type: ChangesRequestedView, description: 'the open request for changes' }) changesRequested?: ChangesRequestedView;
  @ApiPropertyOptional({ description: 'the partner created on approval' }) partyId?: string;
  @ApiProperty({ description: 'when the status last changed' }) updatedAt!: string;
}

export class ApplicationPage {
  @ApiProperty({ type: [ApplicationView] }) items!: ApplicationView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
