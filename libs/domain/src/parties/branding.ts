import type { PartyKind } from './party';

/** A party on the path from the root down to a user's own party. */
export interface BrandingCandidate {
  id: string;
  kind: PartyKind;
}

/**
 * Whose brand a user's portal shows: the nearest reseller at or above the user's party (a
 * reseller's own users, and its clients' users; a sub-reseller's client sees that sub-reseller's,
 * never a parent's), or nobody (the operator's look) for the operator, distributors, agents and
 * applicants. `chain` runs from the root down to the user's party, as a party's path does.
 */
export function brandingOwner(chain: readonly BrandingCandidate[]): string | null {
  const own = chain[chain.length - 1];
  if (!own || (own.kind !== 'reseller' && own.kind !== 'client')) return null;
  for (let i = chain.length - 1; i >= 0; i--) if (chain[i].kind === 'reseller') return chain[i].id;
  return null;
}
