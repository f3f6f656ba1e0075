/**
 * The sender's branding as stored with a party (every field optional; null where the party has
 * none). The issuer of a document brands its mail: a reseller's invoices carry the reseller's logo.
 */
export interface MailBranding {
  /** Shown in the header (when there is no logo), the sign-off and as the sender's display name. */
  displayName?: string | null;
  /** http(s) URL of a logo image, shown 40 px high. */
  logoUrl?: string | null;
  /** "#rgb" or "#rrggbb": header and buttons. */
  primaryColor?: string | null;
  /** "#rgb" or "#rrggbb": the stripe above the header. */
  accentColor?: string | null;
  /** Footer; the display name when absent. */
  legalName?: string | null;
  /** Footer; one line per line. */
  address?: string | null;
  websiteUrl?: string | null;
  supportEmail?: string | null;
}

/** What templates see as `@brand`: every field set, values validated. */
export interface ResolvedBranding {
  displayName: string;
  logoUrl: string | null;
  primaryColor: string;
  /** Black or white, whichever reads better on primaryColor. */
  onPrimaryColor: string;
  accentColor: string;
  legalName: string;
  addressLines: string[];
  websiteUrl: string | null;
  supportEmail: string | null;
}

export const DEFAULT_BRANDING = {
  displayName: 'Wholesail',
  primaryColor: '#0b5cab',
  accentColor: '#f59e0b',
} as const;

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/**
 * Fills the gaps with Wholesail's defaults. Values that could break out of their place in the
 * HTML are dropped rather than trusted: colours go into style attributes and URLs into src/href,
 * where HTML escaping alone does not stop `red;background:url(…)` or `javascript:`.
 */
export function resolveBranding(branding: MailBranding | null | undefined, defaults: { websiteUrl?: string | null } = {}): ResolvedBranding {
  const displayName = text(branding?.displayName) ?? DEFAULT_BRANDING.displayName;
  const primaryColor = color(branding?.primaryColor) ?? DEFAULT_BRANDING.primaryColor;
  return {
    displayName,
    logoUrl: httpUrl(branding?.logoUrl),
    primaryColor,
    onPrimaryColor: readableOn(primaryColor),
    accentColor: color(branding?.accentColor) ?? DEFAULT_BRANDING.accentColor,
    legalName: text(branding?.legalName) ?? displayName,
    addressLines: (branding?.address ?? '')
      .split(/\r?\n|\r/)
      .map((line) => line.trim())
      .filter(Boolean),
    websiteUrl: httpUrl(branding?.websiteUrl) ?? httpUrl(defaults.websiteUrl),
    supportEmail: branding?.supportEmail && EMAIL.test(branding.supportEmail.trim()) ? branding.supportEmail.trim() : null,
  };
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}

function color(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && COLOR.test(trimmed) ? trimmed.toLowerCase() : null;
}

export function httpUrl(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** WCAG relative luminance decides between black and white text. */
function readableOn(hex: string): string {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join('') : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(digits.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white is (1.05)/(L+0.05), with black (L+0.05)/0.05: pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111827';
}
