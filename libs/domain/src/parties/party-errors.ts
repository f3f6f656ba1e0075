/**
 * Codes of the errors raised when the partner network is written (libs/parties), stable for the
 * API's exception filter and for activities' failures.
 */
export const PartyErrorCode = {
  /** A field of a new or changed party is malformed or does not fit its kind. */
  InvalidInput: 'PARTY_INVALID_INPUT',
  /** A parent that does not exist or that the caller cannot see. */
  UnknownParent: 'PARTY_UNKNOWN_PARENT',
  /** A parent of the wrong kind, or a closed one. */
  InvalidParent: 'PARTY_INVALID_PARENT',
  /** A client credited to someone who is not an agent of its distributor. */
  InvalidAgent: 'PARTY_INVALID_AGENT',
  /** A code, a partner's name or tax ID, or a client's name or tax ID under its reseller, is taken (409). */
  Duplicate: 'PARTY_DUPLICATE',
  /** A user's e-mail belongs to another user (409). */
  UserDuplicate: 'USER_DUPLICATE',
  /** Not a client, where only a client will do (agent credits). */
  NotAClient: 'PARTY_NOT_A_CLIENT',
  /** A customer-since date before 1970 or in the future. */
  InvalidActiveSince: 'PARTY_INVALID_ACTIVE_SINCE',
  /** A new customer-since date inside a finalised billing period (400). */
  ActiveSinceInFinalisedPeriod: 'PARTY_ACTIVE_SINCE_IN_FINALISED_PERIOD',
  /** The customer-since date lies in a finalised billing period, whose cuts depend on it: it no longer changes (409). */
  ActiveSinceSettled: 'PARTY_ACTIVE_SINCE_SETTLED',
} as const;

/** Codes of a client's agent-credit history (re-crediting a client to another agent, or to none). */
export const CreditErrorCode = {
  /** A re-credit starting before the earliest instant a change may take effect (400). */
  EffectiveInPast: 'PARTY_CREDIT_IN_PAST',
  /** A re-credit starting later than now (400): the agent's view of its clients changes at once. */
  EffectiveInFuture: 'PARTY_CREDIT_IN_FUTURE',
  /** A re-credit that would overlap the credit history (409). */
  Overlap: 'PARTY_CREDIT_OVERLAP',
  /** A re-credit to the agent already credited (400). */
  NoChange: 'PARTY_CREDIT_NO_CHANGE',
} as const;

export const AgreementErrorCode = {
  /** Terms that are malformed or do not fit the party's kind. */
  InvalidTerms: 'AGREEMENT_INVALID_TERMS',
  /** Only distributors and agents have commission agreements. */
  InvalidParty: 'AGREEMENT_INVALID_PARTY',
  PartyClosed: 'AGREEMENT_PARTY_CLOSED',
  /** A version that would overlap another (409). */
  OverlappingVersions: 'AGREEMENT_OVERLAPPING_VERSIONS',
  /** A version starting before the earliest instant a change may take effect (400). */
  EffectiveInPast: 'AGREEMENT_EFFECTIVE_IN_PAST',
} as const;

export const InvitationErrorCode = {
  /** Not a link we issued (404: reveals nothing). */
  NotFound: 'INVITATION_NOT_FOUND',
  /** The password was set already (409). */
  Used: 'INVITATION_USED',
  Expired: 'INVITATION_EXPIRED',
} as const;
