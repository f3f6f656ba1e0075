import type { BillingDocumentMailData, MailTemplateData } from './mail-templates';

const attachments = (number: string): BillingDocumentMailData['attachments'] => [
  { fileName: `${number}.pdf`, description: 'the document as a PDF' },
  { fileName: `${number}.csv`, description: 'every line as CSV, figures as stored' },
];

const PAYOUT_SAMPLE: BillingDocumentMailData = {
  recipientName: 'Wholesail Cloud',
  issuerName: 'Northwind Distribution',
  documentTitle: 'Payout invoice',
  number: 'NORTHWIND-PAY-000007',
  periodLabel: 'October 2026',
  total: '1,238.75 EUR',
  facts: [
    { label: 'Number', value: 'NORTHWIND-PAY-000007' },
    { label: 'Period', value: 'October 2026' },
    { label: 'Issued', value: '2 November 2026' },
    { label: 'Agreement version of 1 January 2026', value: '5 % of wholesale revenue, plus 2.00 EUR per active client' },
  ],
  columns: [
    { label: '#', numeric: false },
    { label: 'Type', numeric: false },
    { label: 'Reseller / agent', numeric: false },
    { label: 'Clients', numeric: true },
    { label: 'Amount (EUR)', numeric: true },
  ],
  rows: [
    {
      cells: [
        { label: '#', value: '1', numeric: false },
        { label: 'Type', value: 'Commission', numeric: false },
        { label: 'Reseller / agent', value: 'Acme "MSP" & Sons', numeric: false },
        { label: 'Clients', value: '12', numeric: true },
        { label: 'Amount (EUR)', value: '1,230.75', numeric: true },
      ],
    },
    {
      cells: [
        { label: '#', value: '2', numeric: false },
        { label: 'Type', value: 'Fee', numeric: false },
        { label: 'Reseller / agent', value: 'Globex IT', numeric: false },
        { label: 'Clients', value: '5', numeric: true },
        { label: 'Amount (EUR)', value: '10.00', numeric: true },
      ],
    },
    {
      cells: [
        { label: '#', value: '3', numeric: false },
        { label: 'Type', value: 'Carve-out', numeric: false },
        { label: 'Reseller / agent', value: 'Bob Agent on Hooli', numeric: false },
        { label: 'Clients', value: '', numeric: true },
        { label: 'Amount (EUR)', value: '-2.00', numeric: true },
      ],
    },
  ],
  moreRows: 'and 17 more lines in the attachments',
  totals: [
    { label: 'Commission', value: '1,230.75 EUR', grand: false },
    { label: 'Fee', value: '10.00 EUR', grand: false },
    { label: 'Gross', value: '1,240.75 EUR', grand: false },
    { label: 'Carve-outs to agents', value: '-2.00 EUR', grand: false },
    { label: 'Total payable', value: '1,238.75 EUR', grand: true },
  ],
  attachments: attachments('NORTHWIND-PAY-000007'),
};

const INVOICE_SAMPLE: BillingDocumentMailData = {
  recipientName: 'Umbrella Corp',
  issuerName: 'Acme MSP',
  documentTitle: 'Invoice',
  number: 'ACME-MSP-INV-000042',
  periodLabel: 'October 2026',
  total: '96.30 EUR',
  facts: [
    { label: 'Number', value: 'ACME-MSP-INV-000042' },
    { label: 'Period', value: 'October 2026' },
    { label: 'To', value: 'Umbrella Corp (tax ID NL123456789B01)' },
  ],
  columns: [
    { label: 'Description', numeric: false },
    { label: 'Quantity', numeric: true },
    { label: 'Amount (EUR)', numeric: true },
  ],
  rows: [
    {
      cells: [
        { label: 'Description', value: 'vCPU × 4 (1–15 Oct 2026)', numeric: false },
        { label: 'Quantity', value: '1.935484 vCPU', numeric: true },
        { label: 'Amount (EUR)', value: '96.30', numeric: true },
      ],
    },
  ],
  totals: [{ label: 'Total due', value: '96.30 EUR', grand: true }],
  attachments: attachments('ACME-MSP-INV-000042'),
};

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
  'payout-invoice': PAYOUT_SAMPLE,
  'client-invoice': INVOICE_SAMPLE,
  'wholesale-invoice': {
    ...INVOICE_SAMPLE,
    recipientName: 'Acme MSP',
    issuerName: 'Wholesail Cloud',
    documentTitle: 'Wholesale invoice',
    number: 'WHOLESAIL-INV-000913',
  },
  'credit-note': {
    ...INVOICE_SAMPLE,
    documentTitle: 'Credit note',
    number: 'ACME-MSP-CN-000003',
    total: '-12.40 EUR',
    totals: [{ label: 'Total credited', value: '-12.40 EUR', grand: true }],
    attachments: attachments('ACME-MSP-CN-000003'),
  },
};
