/**
 * The portal wears the brand of whoever the user works for: a reseller's logo and colours for its
 * users and its clients' users (GET /branding answers whose), the operator's look for everyone
 * else. Colours become CSS variables, adjusted so text on them and links in them stay readable.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api/client';
import type { PortalBranding } from '../api/types';
import { useSession } from '../auth/session';
import { parseHex, readableOnWhite, textOn, toHex } from './contrast';

export const OPERATOR_BRAND = { name: 'Wholesail', primaryColor: '#1d4ed8', accentColor: '#0ea5e9', logoUrl: null as string | null };

export const brandingQueryKey = ['branding'] as const;

export interface Brand {
  name: string;
  logoUrl: string | null;
  /** Whether it is a reseller's brand rather than the operator's look. */
  reseller: boolean;
}

export function useBrand(): Brand {
  const session = useSession();
  const { data } = useQuery({
    queryKey: [...brandingQueryKey, session?.principal.id],
    queryFn: () => api.get<{ branding: PortalBranding }>('/branding').then((r) => r.branding),
    enabled: !!session,
    staleTime: 5 * 60_000,
  });
  const branding = session ? data : undefined;
  const primary = branding?.primaryColor ?? OPERATOR_BRAND.primaryColor;
  const accent = branding?.accentColor ?? OPERATOR_BRAND.accentColor;

  useEffect(() => {
    const root = document.documentElement.style;
    const brand = readableOnWhite(parseHex(primary) ?? parseHex(OPERATOR_BRAND.primaryColor)!);
    const accentRgb = parseHex(accent) ?? parseHex(OPERATOR_BRAND.accentColor)!;
    root.setProperty('--brand', toHex(brand));
    root.setProperty('--brand-text', textOn(brand));
    root.setProperty('--accent', toHex(accentRgb));
    root.setProperty('--accent-text', textOn(accentRgb));
  }, [primary, accent]);

  return {
    name: branding?.ownerId ? (branding.name ?? OPERATOR_BRAND.name) : OPERATOR_BRAND.name,
    logoUrl: branding?.ownerId ? branding.logoUrl : OPERATOR_BRAND.logoUrl,
    reseller: !!branding?.ownerId,
  };
}
