import { proxyActivities } from '@temporalio/workflow';
import type { ChangePartyStatusInput, ChangePartyStatusResult } from '@wholesail/contracts';
import type { PartyStatusActivities } from '../../activities/parties/party-status.activities';

const { applyPartyStatus } = proxyActivities<PartyStatusActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/**
 * Changes a party's status (activate, suspend, close). The activity validates the transition and
 * writes the change with an audit row keyed by this workflow's ID, so retries never apply it twice.
 * Later processes (provisioning, billing) hook in here: suspension will also power off resources.
 */
export async function changePartyStatus(input: ChangePartyStatusInput): Promise<ChangePartyStatusResult> {
  return applyPartyStatus(input);
}
