import type { FilterQuery } from '@mikro-orm/core';
import type { Party } from '../entities/party.entity';
import { likeStartingWith } from '../queries/like';

/**
 * The party whose materialised path is `path` and everything below it: one prefix match on the
 * indexed `path` (see Party). The tenancy filter (the API's TenancyService), roll-ups and reseller
 * moves all select a subtree through this, never by restating the match.
 */
export function subtreeFilter(path: string): FilterQuery<Party> {
  return { path: { $like: likeStartingWith(path) } };
}
