import { type CanActivate, type ExecutionContext } from '@nestjs/common';
import { findControlCharacters } from '@wholesail/domain';
import type { Request } from 'express';
import { validationFailed } from './validation';

/**
 * Refuses control characters (C0 other than TAB, LF, CR; and DEL) anywhere in the path
 * parameters, the query and the body, keys included, with a 400 naming each field. A global guard
 * (after authentication, which reads only headers), it runs before route guards such as the login
 * throttle (which reads the body) and before pipes and handlers, so no user text holding them
 * reaches a query, a workflow or an e-mail.
 */
export class ControlCharactersGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const fields = [
      ...findControlCharacters(request.params ?? {}, ''),
      ...findControlCharacters(request.query ?? {}, ''),
      ...findControlCharacters(request.body ?? {}, ''),
    ];
    if (fields.length === 0) return true;
    throw validationFailed(fields);
  }
}
