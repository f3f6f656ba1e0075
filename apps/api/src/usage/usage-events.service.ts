import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { billingPeriod, parseInstant } from '@wholesail/domain';
import { Party, plainDecimal, ResourceEvent } from '@wholesail/persistence';
import { UsageRecorder, type RecordedEvent } from '@wholesail/usage';
import { TenancyService } from '../tenancy/tenancy.service';
import type { ListEventsQuery, RecordEventsDto, ResourceEventView } from './dto/usage.dto';

/**
 * Resource events over HTTP: recording goes through the one writer (UsageRecorder, scoped to the
 * clients the caller may see); listing is tenancy-scoped like every read.
 */
@Injectable()
export class UsageEventsService {
  constructor(
    private readonly em: EntityManager,
    private readonly recorder: UsageRecorder,
    private readonly tenancy: TenancyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  record(principal: Principal, dto: RecordEventsDto): Promise<RecordedEvent[]> {
    return this.recorder.recordMany(dto.events, { source: 'api', recordedBy: principal.ref, scopePath: principal.partyPath });
  }

  async list(principal: Principal, query: ListEventsQuery): Promise<[ResourceEventView[], number]> {
    const where: FilterQuery<ResourceEvent>[] = [{ client: this.tenancy.visiblePartiesFilter(principal) as FilterQuery<Party> }];
    if (query.clientId) {
      const client = await this.em.findOne(Party, { id: query.clientId });
      this.tenancy.assertCanSee(principal, client, query.clientId);
      where.push({ client: query.clientId });
    }
    if (query.resourceId) where.push({ resourceId: query.resourceId });
    if (query.from) where.push({ occurredAt: { $gte: parseInstant(query.from, 'from') } });
    if (query.to) where.push({ occurredAt: { $lt: parseInstant(query.to, 'to') } });
    const [events, total] = await this.em.findAndCount(
      ResourceEvent,
      { $and: where },
      { orderBy: { occurredAt: 'asc', transactionId: 'asc' }, limit: query.pageSize, offset: query.offset },
    );
    const periodStarts = new Map<string, number>();
    const startOf = (period: string) => {
      if (!periodStarts.has(period)) periodStarts.set(period, billingPeriod(period, this.config.operatorTimeZone).start.getTime());
      return periodStarts.get(period)!;
    };
    return [events.map((e) => view(e, e.freezePeriod ? e.occurredAt.getTime() < startOf(e.freezePeriod) : false)), total];
  }
}

function view(e: ResourceEvent, late: boolean): ResourceEventView {
  return {
    id: e.id,
    transactionId: e.transactionId,
    clientId: e.client.id,
    resourceId: e.resourceId,
    sku: e.sku,
    kind: e.kind,
    quantity: e.quantity == null ? null : plainDecimal(e.quantity),
    occurredAt: e.occurredAt.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
    source: e.source,
    sourceRef: e.sourceRef ?? null,
    freezePeriod: e.freezePeriod ?? null,
    late,
  };
}
