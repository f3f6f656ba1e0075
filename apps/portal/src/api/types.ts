/** The API's views as the portal reads them (see /docs-json). Money and percentages are decimal strings. */
import type { OnboardingStatus } from '@wholesail/contracts/onboarding/onboarding.contract';
import type { PartyKind, Role } from '@wholesail/domain';

export type { PartyKind, Role };

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
