import type { Response } from 'express';

/**
 * Marks a successful response as a standalone SVG document: no scripts, nothing loaded, never
 * sniffed as anything else. Set only once the map is rendered, so errors stay JSON.
 */
export function sendsSvg(response: Response): void {
  response.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
  response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  response.setHeader('X-Content-Type-Options', 'nosniff');
}
