import type { MailTemplateData } from './mail-templates';

/**
 * Realistic data for every template: the renderer spec renders each one with it, and a mail
 * preview (portal, dev tools) can use it. Typed against MailTemplateData, so a template added
 * there without a sample does not compile.
 */
export const MAIL_TEMPLATE_SAMPLES: MailTemplateData = {
  'application-received': {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    kind: 'reseller',
    applicationId: '0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10',
    submittedAt: '2026-03-02T09:15:00.000Z',
    statusUrl: 'http://localhost:3000/portal/applications/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10?token=3q2-7w_x9',
  },
  'application-exists': {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    applicationId: '0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10',
    submittedAt: '2026-03-02T09:15:00.000Z',
    statusUrl: 'http://localhost:3000/portal/applications/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10?token=3q2-7w_x9',
  },
  'email-change-confirmation': {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    newEmail: 'partners@acme.example',
    expiresAt: '2026-03-04T09:15:00.000Z',
    confirmUrl: 'http://localhost:3000/applications/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10/email-confirmations/eyJlIjoi.c2ln',
  },
  'email-change-requested': {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    newEmail: 'partners@acme.example',
    expiresAt: '2026-03-04T09:15:00.000Z',
    statusUrl: 'http://localhost:3000/portal/applications/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10?token=3q2-7w_x9',
  },
  'changes-requested': {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    comment: 'The VAT number does not match the company name.\nPlease upload the chamber of commerce extract as well.',
    respondBy: '2026-03-16T09:15:00.000Z',
    resubmitUrl: 'http://localhost:3000/portal/applications/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10?token=3q2-7w_x9',
    requestedBy: 'Northwind Distribution',
  },
  'resubmission-reminder': {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    comment: 'The VAT number does not match the company name.',
    respondBy: '2026-03-16T09:15:00.000Z',
    reminderNo: 2,
    resubmitUrl: 'http://localhost:3000/portal/applications/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10?token=3q2-7w_x9',
  },
  rejected: {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    reason: 'The automatic checks found problems with the application.',
    problems: [
      { field: 'taxId', problem: 'is not a valid Dutch VAT number' },
      { field: 'email', problem: 'is already used by another partner' },
    ],
  },
  withdrawn: {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    reason: 'We signed with another distributor.',
  },
  expired: {
    recipientName: 'Dana Whitfield',
    applicantName: 'Acme Cloud Services B.V.',
    step: 'resubmission',
  },
  welcome: {
    recipientName: 'Dana Whitfield',
    partnerName: 'Acme Cloud Services B.V.',
    invitationUrl: 'http://localhost:3000/invitations/accept?token=3q2-7w_x9&source=mail',
    invitationExpiresAt: '2026-03-09T09:15:00.000Z',
    loginEmail: 'dana@acme.example',
  },
  'approval-requested': {
    recipientName: 'Olivia Operator',
    taskTitle: 'Approve reseller application: Acme Cloud Services B.V.',
    taskDescription: 'Northwind Distribution sponsors this reseller. Check the company details and approve or request changes.',
    openedAt: '2026-03-02T09:20:00.000Z',
    dueAt: '2026-03-05T09:20:00.000Z',
    inboxUrl: 'http://localhost:3000/inbox',
  },
  'approval-reminder': {
    recipientName: 'Olivia Operator',
    taskTitle: 'Approve reseller application: Acme Cloud Services B.V.',
    taskDescription: 'Northwind Distribution sponsors this reseller. Check the company details and approve or request changes.',
    openedAt: '2026-03-02T09:20:00.000Z',
    dueAt: '2026-03-05T09:20:00.000Z',
    reminderNo: 1,
    inboxUrl: 'http://localhost:3000/inbox',
  },
  'solution-changes-requested': {
    recipientName: 'Arthur Architect',
    solutionName: 'Umbrella web shop',
    clientName: 'Umbrella Corp',
    versionNo: 3,
    solutionUrl: 'http://localhost:3000/solutions/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10',
    comment: 'We need a second web server behind the load balancer.',
    respondBy: '2026-03-16T09:15:00.000Z',
    problems: [{ field: 'networks[dmz].cidr', problem: '10.0.0.0/16 overlaps network lan (10.0.1.0/24): give each network its own range' }],
    reminderNo: 1,
    requestedBy: 'uma@umbrella.demo',
  },
  'solution-approved': {
    recipientName: 'Arthur Architect',
    solutionName: 'Umbrella web shop',
    clientName: 'Umbrella Corp',
    versionNo: 3,
    solutionUrl: 'http://localhost:3000/solutions/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10',
    monthlyTotal: '1,234.50 EUR',
  },
  'solution-rejected': {
    recipientName: 'Arthur Architect',
    solutionName: 'Umbrella web shop',
    clientName: 'Umbrella Corp',
    versionNo: 3,
    solutionUrl: 'http://localhost:3000/solutions/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10',
    reason: 'We chose another provider.',
  },
  'solution-expired': {
    recipientName: 'Arthur Architect',
    solutionName: 'Umbrella web shop',
    clientName: 'Umbrella Corp',
    versionNo: 3,
    solutionUrl: 'http://localhost:3000/solutions/0195f3c2-7a4e-7d21-9b1f-2c6e5a8d4b10',
    step: 'client',
  },
};
