import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { billingPeriod, type RecordedResourceEvent, type RecordedUsageLine } from '@wholesail/domain';
import { plainDecimal, ResourceEvent, UsageLine } from '@wholesail/persistence';

/**
 * What a billing run needs of the recorded usage, in the billing domain's shapes
 * (libs/domain/src/billing/usage-for-run.ts): for a page of clients, every event that happened
 * before the period's end (a resource's timeline starts at its first start) and the imported lines
 * the run may bill or must report as late.
 */
@Injectable()
export class UsageReader {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forRun(period: string, clientIds: readonly string[]): Promise<{ events: RecordedResourceEvent[]; lines: RecordedUsageLine[] }> {
    if (!clientIds.length) return { events: [], lines: [] };
    const { end } = billingPeriod(period, this.config.operatorTimeZone);
    const em = this.em.fork();
    const events = await em.find(ResourceEvent, { client: { $in: [...clientIds] }, occurredAt: { $lt: end } }, { orderBy: { occurredAt: 'asc' } });
    const lines = await em.find(
      UsageLine,
      { client: { $in: [...clientIds] }, period: { $lte: period }, $or: [{ freezePeriod: null }, { freezePeriod: period }, { period }] },
      { orderBy: { lineNumber: 'asc' } },
    );
    return {
      events: events.map((e) => ({
        transactionId: e.transactionId,
        resourceId: e.resourceId,
        clientId: e.client.id,
        sku: e.sku,
        kind: e.kind,
        quantity: e.quantity == null ? null : plainDecimal(e.quantity),
        occurredAt: e.occurredAt,
        freezePeriod: e.freezePeriod ?? null,
      })),
      lines: lines.map((l) => ({
        transactionId: l.transactionId,
        clientId: l.client.id,
        sku: l.sku,
        quantity: plainDecimal(l.quantity),
        period: l.period,
        freezePeriod: l.freezePeriod ?? null,
        importId: l.usageImport.id,
        lineNumber: l.lineNumber,
      })),
    };
  }
}
