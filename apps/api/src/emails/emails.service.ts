import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { EmailMessage } from '@wholesail/persistence';
import type { ListEmailsQuery } from './dto/email.dto';

/** The e-mail outbox, read-only: what was sent to whom, and how delivery went. */
@Injectable()
export class EmailsService {
  constructor(private readonly em: EntityManager) {}

  list(query: ListEmailsQuery): Promise<[EmailMessage[], number]> {
    const where: FilterQuery<EmailMessage> = {};
    if (query.status) where.status = query.status;
    if (query.template) where.template = query.template;
    if (query.to) where.toAddress = query.to;
    if (query.subjectRef) where.subjectRef = query.subjectRef;
    return this.em.findAndCount(EmailMessage, where, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: query.pageSize, offset: query.offset });
  }
}
