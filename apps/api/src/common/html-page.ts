/** Text for HTML: the five characters that could open markup or end an attribute, as entities. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The small pages e-mailed links open on the API (set a password, confirm an address): a minimal
 * document around `body` (already escaped). Their scripts are inline, so each page's route sends
 * PAGE_CONTENT_SECURITY_POLICY instead of the API's default.
 */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}input,button{font-size:1rem;padding:.5rem;margin:.25rem 0;width:100%}</style></head><body>${body}</body></html>`;
}

export const PAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'";
