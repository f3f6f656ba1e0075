import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { Public } from '../auth/auth.decorators';
import { portalDirectory, resolvePortalFile } from './portal-files';

/**
 * Images may come from a reseller's logo URL; styles may be inline (the component library
 * positions popovers with them); everything else is this origin.
 */
const CSP =
  "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";

/** The web portal (apps/portal, built into dist/portal): served under /portal/ with an SPA fallback. */
@ApiExcludeController()
@Public()
@Controller()
export class PortalController {
  private readonly root = portalDirectory();

  @Get()
  home(@Res() res: Response): void {
    res.redirect(302, '/portal/');
  }

  @Get('portal{/*path}')
  serve(@Req() req: Request, @Res() res: Response): void {
    const root = this.root;
    if (!root || !existsSync(join(root, 'index.html'))) {
      res.status(503).json({ code: 'PORTAL_NOT_BUILT', message: 'the portal is not built: run npm run build' });
      return;
    }
    const target = resolvePortalFile(root, req.path.replace(/^\/portal\/?/, ''));
    if (target.kind === 'missing') {
      res.status(404).json({ code: 'NOT_FOUND', message: `${req.path} does not exist` });
      return;
    }
    if (target.kind === 'app') {
      res.set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });
      this.send(req, res, join(root, 'index.html'), existsSync(join(root, 'index.html.gz')) ? join(root, 'index.html.gz') : null, '.html');
      return;
    }
    // Hashed assets never change; anything else (the favicon) may, so it is revalidated.
    res.set({ 'Cache-Control': target.immutable ? 'public, max-age=31536000, immutable' : 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    this.send(req, res, target.path, target.gzipped, target.type);
  }

  private send(req: Request, res: Response, path: string, gzipped: string | null, type: string): void {
    res.vary('Accept-Encoding');
    res.type(type);
    if (gzipped && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      res.set('Content-Encoding', 'gzip');
      res.sendFile(gzipped);
      return;
    }
    res.sendFile(path);
  }
}
