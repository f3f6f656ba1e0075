import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { billingPeriod, type RecordedResourceEvent, type RecordedUsageLine } from '@wholesail/domain';
import { plainDecimal } from '@wholesail/persistence';

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
    // Plain rows, not entities: a page's events are read once and handed on, so hydrating them and
    // tracking them in an identity map is pure cost (and most of a page's garbage).
    const em = this.em.fork();
    const clients = JSON.stringify(clientIds);
    const events: Array<Record<string, any>> = await em.execute(
      `select transaction_id, resource_id, client_id, sku, kind, quantity, occurred_at, freeze_period from resource_event
        where client_id in (select value::uuid from json_array_elements_text(?::json)) and occurred_at < ? order by occurred_at`,
      [clients, end],
    );
    const lines: Array<Record<string, any>> = await em.execute(
      `select transaction_id, client_id, sku, quantity, period, freeze_period, usage_import_id, line_number from usage_line
        where client_id in (select value::uuid from json_array_elements_text(?::json)) and period <= ? and (freeze_period is null or freeze_period = ? or period = ?)
        order by line_number`,
      [clients, period, period, period],
    );
    return {
      events: events.map((e) => ({
        transactionId: e.transaction_id,
        resourceId: e.resource_id,
        clientId: e.client_id,
        sku: e.sku,
        kind: e.kind,
        quantity: e.quantity == null ? null : plainDecimal(e.quantity),
        occurredAt: new Date(e.occurred_at),
        freezePeriod: e.freeze_period ?? null,
      })),
      lines: lines.map((l) => ({
        transactionId: l.transaction_id,
        clientId: l.client_id,
        sku: l.sku,
        quantity: plainDecimal(l.quantity),
        period: l.period,
        freezePeriod: l.freeze_period ?? null,
        importId: l.usage_import_id,
        lineNumber: l.line_number,
      })),
    };
  }
}
