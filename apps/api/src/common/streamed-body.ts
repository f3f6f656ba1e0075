import type { NextFunction, Request, Response } from 'express';

/** Routes that read their request body as a stream, with their own size limit (usage imports). */
export const STREAMED_BODY_ROUTES = [{ method: 'POST', path: '/usage/imports' }] as const;

export interface StreamedRequest extends Request {
  /** The Content-Type the client sent, set aside so that no global body parser reads the body. */
  streamedContentType?: string;
}

/**
 * Keeps the global body parsers (JSON with its small limit, URL-encoded) off the streamed routes:
 * they only parse a body whose Content-Type they recognise, so the header is moved aside here,
 * before them, and the route reads it back with `streamedContentType`. Registered in
 * configureApp, before Nest installs its parsers.
 */
export function setAsideStreamedBody(request: StreamedRequest, _response: Response, next: NextFunction): void {
  const path = request.originalUrl.split('?')[0].replace(/\/+$/, '');
  if (STREAMED_BODY_ROUTES.some((route) => route.method === request.method && route.path === path)) {
    request.streamedContentType = request.headers['content-type'];
    delete request.headers['content-type'];
  }
  next();
}

export function streamedContentType(request: StreamedRequest): string | undefined {
  return request.streamedContentType ?? request.headers['content-type'];
}
