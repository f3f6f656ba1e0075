import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { ONBOARDING_KINDS, ONBOARDING_STATUSES, type OnboardingKind, type OnboardingStatus } from '@wholesail/contracts';
import type { Application } from '@wholesail/persistence';
import { PageMeta, PageQuery } from '../../common/pagination';

const COLOR = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export class BrandingDto {
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

  @ApiPropertyOptional({ type: BrandingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => BrandingDto)
  branding?: BrandingDto;

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
  @ApiPropertyOptional({ type: BrandingDto }) @IsOptional() @ValidateNested() @Type(() => BrandingDto) branding?: BrandingDto;
  @ApiPropertyOptional({ description: 'a note for the approvers' }) @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class WithdrawApplicationDto {
  @ApiPropertyOptional({ description: 'why, for the record: required when an admin (of the sponsor or the operator) withdraws' })
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
  @ApiPropertyOptional({ nullable: true }) sponsorPartyId!: string | null;
  @ApiPropertyOptional({ nullable: true }) parentResellerId!: string | null;
  @ApiProperty() round!: number;
  @ApiPropertyOptional({ nullable: true, description: 'why it ended (rejected, withdrawn, expired)' }) statusReason!: string | null;
  @ApiPropertyOptional({ nullable: true }) problems!: { field: string; problem: string }[] | null;
  @ApiPropertyOptional({ nullable: true, description: 'the partner created on approval' }) partyId!: string | null;
  @ApiPropertyOptional({ type: () => WithdrawalView, nullable: true, description: 'who withdrew it, why and when' })
  withdrawal!: WithdrawalView | null;
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
      withdrawal: app.withdrawnBy ? { by: app.withdrawnBy, reason: app.withdrawalReason ?? null, at: app.withdrawnAt?.toISOString() ?? null } : null,
      workflowId: app.workflowId,
      submittedAt: app.createdAt.toISOString(),
      updatedAt: app.updatedAt.toISOString(),
    };
  }
}

export class WithdrawalView {
  @ApiProperty({ example: 'applicant', description: '"applicant", or "user:<id>" of the admin who withdrew it' }) by!: string;
  @ApiPropertyOptional({ nullable: true }) reason!: string | null;
  @ApiPropertyOptional({ nullable: true }) at!: string | null;
}

/**
 * The answer to a submission. A new application comes with its id and the applicant's token; a
 * repeated one (same kind, e-mail and tax ID) with `created: false` and a message only: the token
 * goes to the address on file, by e-mail, never to whoever sent the form again.
 */
export class SubmittedApplicationView {
  @ApiProperty({ description: 'false when this repeated an earlier submission (same kind, e-mail and tax ID)' }) created!: boolean;
  @ApiPropertyOptional({ description: 'new applications only' }) applicationId?: string;
  @ApiPropertyOptional({ description: 'new applications only' }) workflowId?: string;
  @ApiPropertyOptional({ description: 'new applications only: secret for following, withdrawing and resubmitting; send as X-Applicant-Token' })
  applicantToken?: string;
  @ApiPropertyOptional({ description: 'new applications only' }) statusUrl?: string;
  @ApiPropertyOptional({ description: 'repeated submissions only: what happened instead' }) message?: string;

  static created(application: Application, applicantToken: string): SubmittedApplicationView {
    return { created: true, applicationId: application.id, workflowId: application.workflowId, applicantToken, statusUrl: `/applications/${application.id}` };
  }

  /** Also what an anonymous caller replaying an Idempotency-Key sees: it cannot prove it sent the first request. */
  static repeated(): SubmittedApplicationView {
    return {
      created: false,
      message: 'An application with these details already exists. We have e-mailed its contact address a link to follow it.',
    };
  }
}

export class ChangesRequestedView {
  @ApiProperty() comment!: string;
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
  @ApiProperty() respondBy!: string;
}

export class EmailChangeView {
  @ApiProperty({ description: 'the new contact e-mail, once confirmed from it' }) email!: string;
  @ApiProperty({ enum: ['awaiting-confirmation'] }) status!: 'awaiting-confirmation';
  @ApiProperty({ description: 'when the confirmation link stops working' }) expiresAt!: string;
}

/** Where the application stands after a withdrawal or a resubmission (the workflow's answer). */
export class ApplicationStatusResultView {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ enum: ONBOARDING_STATUSES }) status!: string;
  @ApiProperty() round!: number;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ type: [Object] }) problems?: { field: string; problem: string }[];
  @ApiPropertyOptional({ type: ChangesRequestedView }) changesRequested?: ChangesRequestedView;
  @ApiPropertyOptional() partyId?: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ type: EmailChangeView, description: 'a resubmission that changes the contact e-mail: it waits for confirmation' })
  emailChange?: EmailChangeView;
}

export class EmailConfirmedView {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ description: 'the application’s contact e-mail now' }) email!: string;
  @ApiProperty({ enum: ONBOARDING_STATUSES }) status!: string;
}

export class ApplicationPage {
  @ApiProperty({ type: [ApplicationView] }) items!: ApplicationView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
