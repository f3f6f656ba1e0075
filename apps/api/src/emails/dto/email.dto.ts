import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EMAIL_STATUSES, type EmailMessage, type EmailStatus } from '@wholesail/persistence';
import { PageMeta, PageQuery } from '../../common/pagination';

export class ListEmailsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EMAIL_STATUSES })
  @IsOptional()
  @IsIn(EMAIL_STATUSES, { message: `status must be one of: ${EMAIL_STATUSES.join(', ')}` })
  status?: EmailStatus;

  @ApiPropertyOptional({ example: 'welcome', description: 'the template name' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  template?: string;

  @ApiPropertyOptional({ example: 'cora@contoso-cloud.example', description: 'the recipient (exact address)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'to must be an email address' })
  to?: string;

  @ApiPropertyOptional({ example: 'application:0b7c…', description: 'what the mail was about' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subjectRef?: string;
}

export class EmailView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'welcome' }) template!: string;
  @ApiProperty() to!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ enum: EMAIL_STATUSES }) status!: EmailStatus;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true }) lastError!: string | null;
  @ApiPropertyOptional({ nullable: true }) sentAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) subjectRef!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;

  static of(message: EmailMessage): EmailView {
    return {
      id: message.id,
      template: message.template,
      to: message.toAddress,
      subject: message.subject,
      status: message.status,
      attempts: message.attempts,
      lastError: message.lastError ?? null,
      sentAt: message.sentAt?.toISOString() ?? null,
      subjectRef: message.subjectRef ?? null,
      createdAt: message.createdAt.toISOString(),
      updatedAt: message.updatedAt.toISOString(),
    };
  }
}

export class EmailPage {
  @ApiProperty({ type: [EmailView] }) items!: EmailView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
