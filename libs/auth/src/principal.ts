import type { PartyKind, Role } from '@wholesail/domain';

/** Who is calling: resolved from a JWT or an API key on every request. */
export interface Principal {
  type: 'user' | 'api-key';
  /** user id or api key id */
  id: string;
  /** "user:<id>" or "api-key:<id>": used in audit records and idempotency scopes. */
  ref: string;
  email?: string;
  partyId: string;
  partyKind: PartyKind;
  partyPath: string;
  roles: Role[];
}

export interface AccessTokenClaims {
  sub: string;
  pid: string;
  roles: Role[];
}
