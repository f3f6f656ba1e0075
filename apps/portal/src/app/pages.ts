/**
 * Every signed-in screen, in one table: the router and the role-aware navigation are both built
 * from it, so a new screen (billing runs, statements, client environments, invoices) slots in with
 * one entry. Each page is its own chunk,
 * loaded when first opened.
 */
import type { ComponentType } from 'react';
import type { Role } from '../api/types';

export type Section = 'Work' | 'Partners' | 'Pricing' | 'Billing' | 'Operations' | 'Account';
export const SECTIONS: readonly Section[] = ['Work', 'Partners', 'Pricing', 'Billing', 'Operations', 'Account'];

export interface PageDef {
  /** Under /portal/. */
  path: string;
  label: string;
  section: Section;
  /** Who sees it in the navigation and may open it (the API still decides what they see). */
  roles: readonly Role[];
  load: () => Promise<{ default: ComponentType }>;
  /** Detail routes are reached from their list, not from the navigation. */
  inNav?: boolean;
}

const OPERATOR: readonly Role[] = ['operator-admin', 'operator-finance'];
const PARTNER_ADMINS: readonly Role[] = [...OPERATOR, 'distributor-admin', 'reseller-admin'];
const EVERYONE: readonly Role[] = [...PARTNER_ADMINS, 'agent', 'architect', 'client-user'];
const PRICING: readonly Role[] = [...OPERATOR, 'reseller-admin', 'architect'];
/** Who sees solutions: the operator, the resellers that design them, the clients they are for. */
const SOLUTIONS: readonly Role[] = [...OPERATOR, 'reseller-admin', 'architect', 'client-user'];
const DESIGNERS: readonly Role[] = ['reseller-admin', 'architect'];
/** Who receives payout statements (the API also shows the operator all of them, from a run's page). */
const PAYEES: readonly Role[] = ['distributor-admin', 'agent'];
/** Who issues and receives invoices. */
const INVOICED: readonly Role[] = ['reseller-admin', 'client-user'];
/** A document is opened from a list: statements, invoices or a run's drafts. */
const DOCUMENT_READERS: readonly Role[] = [...OPERATOR, ...PAYEES, ...INVOICED];

export const PAGES: readonly PageDef[] = [
  { path: 'inbox', label: 'Approval inbox', section: 'Work', roles: EVERYONE, load: () => import('../features/inbox/InboxPage') },
  { path: 'decisions', label: 'Decisions', section: 'Work', roles: PARTNER_ADMINS, load: () => import('../features/inbox/DecisionsPage') },
  { path: 'solutions', label: 'Solutions', section: 'Work', roles: SOLUTIONS, load: () => import('../features/solutions/SolutionsPage') },
  { path: 'solutions/:id', label: 'Solution', section: 'Work', roles: SOLUTIONS, inNav: false, load: () => import('../features/solutions/SolutionPage') },
  {
    path: 'solutions/:id/design',
    label: 'Solution designer',
    section: 'Work',
    roles: DESIGNERS,
    inNav: false,
    // React Flow comes with this chunk only: the designer is the one page that draws on a canvas.
    load: () => import('../features/solutions/DesignerPage'),
  },
  { path: 'onboarding', label: 'Applications', section: 'Partners', roles: PARTNER_ADMINS, load: () => import('../features/onboarding/ApplicationsPage') },
  {
    path: 'onboarding/:id',
    label: 'Application',
    section: 'Partners',
    roles: PARTNER_ADMINS,
    inNav: false,
    load: () => import('../features/onboarding/ApplicationDetailPage'),
  },
  { path: 'partners', label: 'Partner tree', section: 'Partners', roles: PARTNER_ADMINS, load: () => import('../features/partners/PartnerTreePage') },
  { path: 'partners/:id', label: 'Partner', section: 'Partners', roles: PARTNER_ADMINS, inNav: false, load: () => import('../features/partners/PartnerPage') },
  {
    path: 'clients',
    label: 'Clients',
    section: 'Partners',
    roles: [...PARTNER_ADMINS, 'architect', 'agent'],
    load: () => import('../features/clients/ClientsPage'),
  },
  { path: 'catalog', label: 'Catalog', section: 'Pricing', roles: PRICING, load: () => import('../features/catalog/CatalogPage') },
  { path: 'price-books', label: 'Price books', section: 'Pricing', roles: PRICING, load: () => import('../features/pricing/PriceBooksPage') },
  { path: 'statements', label: 'Statements', section: 'Billing', roles: PAYEES, load: () => import('../features/billing/StatementsPage') },
  { path: 'invoices', label: 'Invoices', section: 'Billing', roles: INVOICED, load: () => import('../features/billing/InvoicesPage') },
  { path: 'billing-runs', label: 'Billing runs', section: 'Billing', roles: OPERATOR, load: () => import('../features/billing/BillingRunsPage') },
  {
    path: 'billing-runs/:period',
    label: 'Billing run',
    section: 'Billing',
    roles: OPERATOR,
    inNav: false,
    load: () => import('../features/billing/BillingRunPage'),
  },
  {
    path: 'documents/:id',
    label: 'Billing document',
    section: 'Billing',
    roles: DOCUMENT_READERS,
    inNav: false,
    load: () => import('../features/billing/DocumentPage'),
  },
  { path: 'hosts', label: 'Hosts', section: 'Operations', roles: OPERATOR, load: () => import('../features/hosts/HostsPage') },
  { path: 'outbox', label: 'E-mail outbox', section: 'Operations', roles: OPERATOR, load: () => import('../features/outbox/OutboxPage') },
  {
    path: 'settings',
    label: 'Settings',
    section: 'Account',
    roles: ['operator-admin', 'distributor-admin', 'reseller-admin'],
    load: () => import('../features/settings/SettingsPage'),
  },
];

export function mayOpen(page: PageDef, roles: readonly Role[]): boolean {
  return page.roles.some((role) => roles.includes(role));
}

/** The navigation a user gets: its pages, grouped by section, in table order. */
export function navigationFor(roles: readonly Role[]): { section: Section; pages: PageDef[] }[] {
  return SECTIONS.map((section) => ({ section, pages: PAGES.filter((p) => p.section === section && p.inNav !== false && mayOpen(p, roles)) })).filter(
    (group) => group.pages.length > 0,
  );
}

/** Where a user lands after signing in: the first page it may open. */
export function homePath(roles: readonly Role[]): string {
  return `/${navigationFor(roles)[0]?.pages[0]?.path ?? 'inbox'}`;
}
