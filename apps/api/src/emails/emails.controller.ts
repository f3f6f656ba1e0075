import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody } from '../common/api-error';
import { toPage, type Page } from '../common/pagination';
import { Roles } from '../auth/auth.decorators';
import { EmailPage, EmailView, ListEmailsQuery } from './dto/email.dto';
import { EmailsService } from './emails.service';

@ApiTags('emails')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('emails')
export class EmailsController {
  constructor(private readonly emails: EmailsService) {}

  @Get()
  @Roles('operator-admin', 'operator-finance')
  @ApiOperation({
    summary: 'The e-mail outbox (operator only): every mail with its template, recipient, subject, delivery status, attempts and last error, newest first',
  })
  @ApiOkResponse({ type: EmailPage })
  @ApiForbiddenResponse({ type: ApiErrorBody })
  async list(@Query() query: ListEmailsQuery): Promise<Page<EmailView>> {
    const [items, total] = await this.emails.list(query);
    return toPage(
      items.map((m) => EmailView.of(m)),
      total,
      query,
    );
  }
}
