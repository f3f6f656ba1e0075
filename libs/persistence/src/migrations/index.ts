import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124154035 } from './Migration20261124154035';
import { Migration20261124161026 } from './Migration20261124161026';
import { Migration20261124161834 } from './Migration20261124161834';
import { Migration20261130093817_idempotency_claims } from './Migration20261130093817_idempotency_claims';
import { Migration20261130141327_hosts } from './Migration20261130141327_hosts';
import { Migration20261130141529_throttle_counters } from './Migration20261130141529_throttle_counters';
import { Migration20261130143712_party_uniqueness } from './Migration20261130143712_party_uniqueness';
import { Migration20261130152947_going_live } from './Migration20261130152947_going_live';
import { Migration20261130162244_application_withdrawal } from './Migration20261130162244_application_withdrawal';
import { Migration20261130162947_solution_designs } from './Migration20261130162947_solution_designs';
import { Migration20261130174213_usage } from './Migration20261130174213_usage';
import { Migration20261130183417_provisioning } from './Migration20261130183417_provisioning';
import { Migration20261130203518_billing_runs } from './Migration20261130203518_billing_runs';
import { Migration20261130214653_email_outbox_claim } from './Migration20261130214653_email_outbox_claim';
import { Migration20261130235417_billing_check_names } from './Migration20261130235417_billing_check_names';
import { Migration20261130235841_usage_freeze_hot } from './Migration20261130235841_usage_freeze_hot';
import { Migration20261130235903_rated_page } from './Migration20261130235903_rated_page';
import { Migration20261201020000_document_line_reference } from './Migration20261201020000_document_line_reference';

/** Every migration, oldest first. `npm run migration:create` writes a file here; add it to the list. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261124154035', class: Migration20261124154035 }, // parties, users, API keys, catalog
  { name: 'Migration20261124161026', class: Migration20261124161026 }, // price books, client overrides
  { name: 'Migration20261124161834', class: Migration20261124161834 }, // applications, approvals, outbox, agreements
  { name: 'Migration20261130093817_idempotency_claims', class: Migration20261130093817_idempotency_claims }, // Idempotency-Key claimed before the work
  { name: 'Migration20261130141327_hosts', class: Migration20261130141327_hosts }, // hypervisor hosts, capacity reservations
  { name: 'Migration20261130141529_throttle_counters', class: Migration20261130141529_throttle_counters }, // sign-in throttling
  { name: 'Migration20261130143712_party_uniqueness', class: Migration20261130143712_party_uniqueness }, // party names and tax IDs unique (partners; clients per reseller)
  { name: 'Migration20261130152947_going_live', class: Migration20261130152947_going_live }, // billing periods, clients' activeSince, agent credit history
  { name: 'Migration20261130162244_application_withdrawal', class: Migration20261130162244_application_withdrawal }, // who withdrew an application
  { name: 'Migration20261130162947_solution_designs', class: Migration20261130162947_solution_designs }, // catalog design attributes, solutions, design versions, solution policies, share links
  { name: 'Migration20261130174213_usage', class: Migration20261130174213_usage }, // resource events, usage imports and lines, freezes
  { name: 'Migration20261130183417_provisioning', class: Migration20261130183417_provisioning }, // environments, provisioned resources, provisioning steps; host templates
  { name: 'Migration20261130203518_billing_runs', class: Migration20261130203518_billing_runs }, // billing runs, their working tables, documents, numbering, volume tiers
  { name: 'Migration20261130214653_email_outbox_claim', class: Migration20261130214653_email_outbox_claim }, // outbox: a sender's claim on a mail while it sends
  { name: 'Migration20261130235417_billing_check_names', class: Migration20261130235417_billing_check_names }, // billing documents' allowed-value checks renamed (not read as enums)
  { name: 'Migration20261130235841_usage_freeze_hot', class: Migration20261130235841_usage_freeze_hot }, // usage freeze stamps rows in place (HOT): BRIN on freeze_period, fillfactor 45
  { name: 'Migration20261130235903_rated_page', class: Migration20261130235903_rated_page }, // billing run pages keep what their cuts need of the rated lines
  { name: 'Migration20261201020000_document_line_reference', class: Migration20261201020000_document_line_reference }, // a document line's document checked once per statement (triggers), not by a per-row foreign key
];
