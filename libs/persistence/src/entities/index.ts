import { ApiKey } from './api-key.entity';
import { CatalogItem } from './catalog-item.entity';
import { CatalogPrice } from './catalog-price.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { Party } from './party.entity';
import { PartyStatusChange } from './party-status-change.entity';
import { User } from './user.entity';

export * from './base.entity';
export * from './party.entity';
export * from './user.entity';
export * from './api-key.entity';
export * from './idempotency-record.entity';
export * from './party-status-change.entity';
export * from './catalog-item.entity';
export * from './catalog-price.entity';

export const ENTITIES = [Party, User, ApiKey, IdempotencyRecord, PartyStatusChange, CatalogItem, CatalogPrice];
