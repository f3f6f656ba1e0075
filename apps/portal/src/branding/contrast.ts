/**
 * Brand colours are the reseller's choice; text on them must stay readable (WCAG AA, 4.5:1). These
 * pure helpers pick the text colour for a brand background and darken a brand colour until it
 * reads on white, so any branding keeps the portal accessible.
 */
export type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) return null;
  const digits = match[1].length === 3 ? [...match[1]].map((c) => c + c).join('') : match[1];
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as Rgb;
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG relative luminance. */
export function luminance([r, g, b]: Rgb): number {
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [17, 24, 39];
export const AA = 4.5;

/** White or near-black text, whichever reads better on `background`. */
export function textOn(background: Rgb): string {
  return contrastRatio(background, WHITE) >= contrastRatio(background, INK) ? '#ffffff' : toHex(INK);
}

/** `color` darkened towards black just enough to reach AA against white (unchanged when it does). */
export function readableOnWhite(color: Rgb, ratio = AA): Rgb {
  let current = color;
  for (let step = 0; step < 40 && contrastRatio(current, WHITE) < ratio; step++) current = current.map((v) => v * 0.92) as Rgb;
  return current;
}
