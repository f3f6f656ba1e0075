import type { PartyStatus } from '@wholesail/domain';

/** Workflow type name as registered by the worker (the exported function name). */
export const CHANGE_PARTY_STATUS_WORKFLOW = 'changePartyStatus';

/** Business-key workflow ID: one workflow per party and per request key, so a retried start is a no-op. */
export function partyStatusWorkflowId(partyId: string, requestKey: string): string {
  return `party-status:${partyId}:${requestKey}`;
}

export interface ChangePartyStatusInput {
  partyId: string;
  status: PartyStatus;
  reason: string;
  requestedBy: string;
}

export interface ChangePartyStatusResult {
  partyId: string;
  previousStatus: PartyStatus;
  status: PartyStatus;
  /** false when the change had already been applied (an activity retry or a repeated request). */
  changed: boolean;
  appliedAt: string;
}
