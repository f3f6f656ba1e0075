/** The API's views as the portal reads them (see /docs-json). Money and percentages are decimal strings. */
import type { OnboardingStatus } from '@wholesail/contracts/onboarding/onboarding.contract';
import type { Capacity, DesignAttributes, DesignGraph, PartyKind, Role, SolutionStatus, DesignVersionStatus } from '@wholesail/domain';

export type { Capacity, DesignAttributes, DesignGraph, PartyKind, Role, SolutionStatus, DesignVersionStatus };

export interface Page<T> {
  items: T[];
  meta: { page: number; pageSize: number; total: number; hasMore: boolean };
}

export interface Principal {
  type: 'user' | 'api-key';
  id: string;
  email?: string;
  partyId: string;
  partyKind: PartyKind;
  roles: Role[];
}

export interface TokenView {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  principal: Principal;
}

export interface Branding {
  logoUrl?: string | null;
  primaryColor?: string | null;
  accentColor?: string | null;
}

export interface PortalBranding {
  ownerId: string | null;
  name: string | null;
  logoUrl: string | null;
  primaryColor: string | null;
  accentColor: string | null;
}

export interface Party {
  id: string;
  kind: PartyKind;
  name: string;
  code: string;
  status: 'applied' | 'active' | 'suspended' | 'closed';
  parentId: string | null;
  foundById: string | null;
  billingEmail: string | null;
  notificationEmail: string | null;
  taxId: string | null;
  branding: Branding | null;
  depth: number;
  createdAt: string;
}

export interface PartyDetail extends Party {
  rollUp: { resellers: number; clients: number; distributors: number; agents: number };
}

export type ApprovalTaskStatus = 'open' | 'approved' | 'rejected' | 'changes-requested' | 'expired' | 'withdrawn' | 'cancelled';
export type ApprovalDecisionKind = 'approve' | 'reject' | 'request-changes';

export interface ApprovalTask {
  id: string;
  workflowId: string;
  workflowType: string;
  stepKey: string;
  round: number;
  title: string;
  description: string;
  assignee: { role: string; partyId: string; mode: string; approverIds: string[] | null };
  subject: { type: string; id: string; url: string };
  status: ApprovalTaskStatus;
  openedAt: string;
  dueAt: string;
  closedAt: string | null;
  approvals: { userId: string; email?: string; decision: string; comment?: string; at: string }[];
  canDecide: boolean;
}

export interface ApprovalDecision {
  id: string;
  taskId: string;
  workflowId: string;
  decision: ApprovalDecisionKind;
  comment: string | null;
  decidedBy: { userId: string; email: string | null; partyId: string; roles: string[] };
  decidedAt: string;
  outcome: string | null;
}

export type ApplicationStatus = OnboardingStatus;

export interface Application {
  id: string;
  kind: 'distributor' | 'reseller' | 'agent';
  status: ApplicationStatus;
  name: string;
  contactName: string;
  email: string;
  taxId: string;
  sponsorPartyId: string | null;
  parentResellerId: string | null;
  round: number;
  statusReason: string | null;
  problems: { field: string; problem: string }[] | null;
  partyId: string | null;
  workflowId: string;
  submittedAt: string;
  updatedAt: string;
}

export interface SubmittedApplication {
  applicationId: string;
  workflowId: string;
  created: boolean;
  applicantToken: string;
  statusUrl: string;
}

export interface CatalogItem {
  sku: string;
  name: string;
  category: 'compute' | 'storage' | 'network' | 'licence' | 'service';
  unit: string;
  retired: boolean;
  retiredAt: string | null;
  /** What the item is in a solution design; null: not designable. */
  design?: DesignAttributes | null;
  wholesalePrice?: { unitPrice: string; currency: string; effectiveFrom: string; effectiveTo: string | null } | null;
  yourPrices?: { currency: string; unitCost: string; clientUnitPrice: string | null } | null;
}

export type PriceRuleKind = 'uplift' | 'discount' | 'fixed';

export interface PriceRule {
  kind: PriceRuleKind;
  upliftPercent?: string;
  discountPercent?: string;
  fixedUnitPrice?: string;
}

export interface PriceBookVersion {
  id: string;
  resellerId: string;
  audience: 'clients' | 'subResellers';
  defaultUpliftPercent: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  rules: (PriceRule & { sku: string })[];
  createdBy: string;
  createdAt: string;
}

export interface QuoteTierLine {
  resellerId: string;
  depth: number;
  sellsTo: 'subReseller' | 'client';
  unitCost: string;
  unitPrice: string;
  costAmount: string;
  saleAmount: string;
  margin: string;
  belowCost: boolean;
  appliedRule: { source: string; rule: Record<string, string>; versionId: string | null };
}

export interface QuoteTierTotal {
  resellerId: string;
  depth: number;
  costTotal: string;
  saleTotal: string;
  marginTotal: string;
  belowCostLines: number;
}

export interface QuoteLine {
  ref: string | null;
  sku: string;
  name: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  wholesaleUnitPrice?: string;
  wholesaleAmount?: string;
  tiers?: QuoteTierLine[];
  own?: QuoteTierLine;
  below?: QuoteTierLine[];
  flags?: string[];
}

export interface Quote {
  view: 'operator' | 'reseller' | 'client';
  clientId: string;
  currency: string;
  asOf: string;
  lines: QuoteLine[];
  monthlyTotal: string;
  wholesaleTotal?: string;
  tiers?: QuoteTierTotal[];
  own?: QuoteTierTotal;
  below?: QuoteTierTotal[];
}

export interface InvitationView {
  email: string;
  partyId: string;
  partyName: string;
  expiresAt: string | null;
}

export interface EmailMessage {
  id: string;
  template: string;
  to: string;
  subject: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  subjectRef: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Solution {
  id: string;
  clientId: string;
  clientName: string;
  name: string;
  status: SolutionStatus;
  workflowId: string;
  round: number;
  latestVersion: number;
  currentVersion: number | null;
  approvedVersion: number | null;
  statusReason: string | null;
  changesRequested: {
    comment: string;
    by: string;
    byEmail?: string;
    stepKey: string;
    at: string;
    respondBy: string;
    problems?: { field: string; problem: string }[];
  } | null;
  createdAt: string;
  updatedAt: string;
}

export interface DesignVersionSummary {
  id: string;
  solutionId: string;
  version: number;
  status: DesignVersionStatus;
  authorId: string;
  authorEmail: string;
  note: string | null;
  createdAt: string;
  round: number | null;
  submittedAt: string | null;
  decidedAt: string | null;
  monthlyTotal: string | null;
  currency: string | null;
  vcpus: number | null;
}

export interface DesignVersion extends DesignVersionSummary {
  graph: DesignGraph;
  quote: Quote | null;
  mapUrl: string;
}

export interface DesignCheck {
  valid: boolean;
  problems: { field: string; problem: string }[];
  totals: { vms: number; vcpus: number; ramGb: number; storageGb: number; publicIps: number } | null;
  billOfMaterials: { sku: string; quantity: string; ref: string }[];
  unpriced: string[];
  quote: Quote | null;
  quoteError: { code: string; message: string } | null;
}

export interface SavedVersion extends DesignVersion {
  check: DesignCheck;
}

export interface Submission {
  solutionId: string;
  workflowId: string;
  versionNo: number;
  round: number;
  status: SolutionStatus;
  case: 'started' | 'resumed';
}

export interface ShareLink {
  id: string;
  versionId: string;
  url: string;
  expiresAt: string;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface HostCheck {
  ok: boolean;
  at: string;
  product?: string;
  vms?: number;
  networks?: number;
  checked?: string[];
  error?: { code: string; message: string };
}

export interface Host {
  id: string;
  name: string;
  kind: 'vsphere' | 'libvirt';
  status: 'active' | 'maintenance' | 'retired';
  connection: Record<string, string | boolean | null>;
  capacity: Capacity;
  reserved: Capacity;
  free: Capacity;
  tags: string[];
  lastCheck: HostCheck | null;
  createdAt: string;
  updatedAt: string;
}

export type {
  BillingDocument,
  BillingDocumentLine,
  BillingDocumentTotals,
  BillingDocumentKind,
  BillingDocumentStatus,
} from '@wholesail/contracts/billing/billing-document.contract';
export type { BillingRunStatusName, BillingRunPhaseName, BillingRunModeName } from '@wholesail/contracts/billing/billing-run.contract';

/** A billing document as lists show it: without its lines. */
export type BillingDocumentHeader = Omit<import('@wholesail/contracts/billing/billing-document.contract').BillingDocument, 'lines'>;

export interface BillingRunProgress {
  clientsRated: number;
  clientsTotal: number;
  documentsTotal: number;
  documentsFinal: number;
  emailsSent: number;
  emailsTotal: number;
}

export interface InvariantViolation {
  invariant: string;
  subject: string;
  expected: string;
  actual: string;
  message: string;
}

/** `GET /billing/runs/{period}`: a run's state, progress and figures. */
export interface BillingRun {
  id: string;
  period: string;
  mode: import('@wholesail/contracts/billing/billing-run.contract').BillingRunModeName;
  workflowId: string;
  status: import('@wholesail/contracts/billing/billing-run.contract').BillingRunStatusName;
  phase: import('@wholesail/contracts/billing/billing-run.contract').BillingRunPhaseName;
  round: number;
  progress: BillingRunProgress;
  currency: string | null;
  totals: Record<string, string> | null;
  invariants: { ok?: boolean; violationCount?: number; violations?: InvariantViolation[]; checkedAt?: string } | null;
  excludedCount: number;
  excluded: { transactionId: string; kind: string; clientId: string; sku: string; resourceId: string | null; usagePeriod: string; reason: string }[];
  result: Record<string, unknown> | null;
  failure: { code?: string; message?: string } | null;
  decision: Record<string, unknown> | null;
  approvalTaskId: string | null;
  startedBy: string;
  createdAt: string;
  finishedAt: string | null;
}

/** One rated line behind an amount, as far as the viewer may see it (libs/billing RatedLineView). */
export interface ExplainedUsage {
  ratedLineId: string;
  sku: string;
  usagePeriod: string;
  late: boolean;
  from: string;
  to: string;
  seconds: string;
  secondsInPeriod: string;
  quantity: string;
  proratedQuantity: string;
  wholesale: { unitPrice: string; amount: string } | null;
  tiers: {
    depth: number;
    resellerId: string;
    resellerName: string | null;
    unitCost: string;
    unitPrice: string;
    costAmount: string;
    saleAmount: string;
    margin: string;
  }[];
  client: { unitPrice: string; amount: string } | null;
}

/** A cut behind a payout line, per client (libs/billing CutView). */
export interface ExplainedCut {
  cutLineId: string;
  kind: 'commission' | 'fee' | 'agent';
  clientId: string;
  clientName: string | null;
  basis: string | null;
  rate: string | null;
  feePerActiveClient: string | null;
  amount: string;
}

/** `GET /documents/{id}/lines/{lineId}/explanation`: "explain this amount". */
export interface LineExplanation {
  line: import('@wholesail/contracts/billing/billing-document.contract').BillingDocumentLine;
  usage: ExplainedUsage[];
  cuts: ExplainedCut[];
  agreements: import('@wholesail/contracts/billing/billing-document.contract').BillingAgreementRef[];
  truncated: boolean;
  /** Usage lines, operator only: the cuts on the line's client's month and the operator's net (libs/billing ClientMonthView). */
  clientMonth: ExplainedClientMonth | null;
}

export interface ExplainedClientMonth {
  clientId: string;
  clientName: string | null;
  wholesale: string;
  cuts: (Omit<ExplainedCut, 'clientName'> & { partyId: string; partyName: string | null; fundedBy: string | null; operatorFunded: string | null })[];
  operatorNet: string;
}

/** `GET /environments/{solutionId}`: a solution's environment, its resources and the operation under way. */
export interface EnvironmentResource {
  kind: 'network' | 'vm' | 'volume' | 'public-ip';
  key: string;
  name: string;
  state: 'pending' | 'created' | 'running' | 'destroyed';
  hypervisorName: string | null;
  vcpus: number | null;
  ramGb: number | null;
  diskGb: number | null;
  live?: { power: 'on' | 'off' | 'suspended' | 'missing' | 'unknown'; checkedAt: string; error?: { code: string; message: string } };
}

export interface EnvironmentOperation {
  operation: 'provision' | 'resize' | 'deprovision';
  phase: string;
  stepsDone: number;
  stepsTotal: number;
  running: boolean;
  startedAt: string;
  finishedAt: string | null;
  error: { code: string; message: string } | null;
}

export interface Environment {
  solutionId: string;
  clientName: string;
  state: 'provisioning' | 'running' | 'resizing' | 'deprovisioning' | 'deprovisioned' | 'failed' | 'error';
  generation: number;
  designVersionNo: number | null;
  operation: EnvironmentOperation;
  resources: EnvironmentResource[];
  updatedAt: string;
}
