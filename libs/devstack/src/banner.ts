/** What `npm start` prints once everything answers: where to open things and how to sign in. */
export interface BannerInput {
  /** Seconds from the start of the stack to everything answering. */
  readySeconds: number;
  apiUrl: string;
  temporalUiUrl?: string;
  mailInboxUrl?: string;
  /** The vSphere simulator's SDK URL, when the stack runs one. */
  vsphereUrl?: string;
  /** Shown only when a portal is configured. */
  portalUrl?: string;
  databaseUrl?: string;
  signIns: { email: string; role: string; password: string }[];
  /** How many more demo users there are than the sign-ins listed. */
  moreUsers?: number;
}

export function renderBanner(input: BannerInput, paint: (code: number, text: string) => string = (_code, text) => text): string {
  const urls: [string, string | undefined][] = [
    ['Portal', input.portalUrl],
    ['API', input.apiUrl],
    ['API docs', `${input.apiUrl}/docs`],
    ['Health', `${input.apiUrl}/health`],
    ['Temporal UI', input.temporalUiUrl],
    ['Mail inbox', input.mailInboxUrl],
    ['vSphere (sim)', input.vsphereUrl],
    ['PostgreSQL', input.databaseUrl],
  ];
  const table = [['e-mail', 'role', 'password'], ...input.signIns.map(({ email, role, password }) => [email, role, password])];
  const widths = [0, 1].map((column) => Math.max(...table.map((row) => row[column].length)) + 2);
  const rows = table.map(([email, role, password], index) => {
    const line = `    ${email.padEnd(widths[0])}${role.padEnd(widths[1])}${password}`;
    return index === 0 ? paint(2, line) : line;
  });
  const rule = '─'.repeat(64);
  return [
    '',
    rule,
    `  ${paint(1, 'Wholesail is running')} (ready in ${input.readySeconds.toFixed(1)} s)`,
    '',
    ...urls.filter((entry): entry is [string, string] => entry[1] !== undefined).map(([label, url]) => `  ${label.padEnd(14)}${paint(4, url)}`),
    '',
    '  Demo sign-ins:',
    ...rows,
    ...(input.moreUsers ? [`    (${input.moreUsers} more demo users: README, "Demo users")`] : []),
    '',
    '  Ctrl-C stops everything; data stays in .dev/ (delete it to start over).',
    rule,
    '',
  ].join('\n');
}
