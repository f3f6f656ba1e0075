import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { isDomainError, type DomainErrorKind } from '@wholesail/domain';
import type { Response } from 'express';
import type { ApiErrorBody } from './api-error';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  unauthenticated: HttpStatus.UNAUTHORIZED,
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * Maps every error to `{code, message, fields?}`: domain errors by their kind, Nest's HTTP
 * exceptions by status, and anything unexpected to a logged 500 that leaks no internals.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = toErrorResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    response.status(status).json(body);
  }
}

/** The status and body an error is answered with (also what an idempotent request stores). */
export function toErrorResponse(exception: unknown): [number, ApiErrorBody] {
  if (isDomainError(exception)) {
    const body: ApiErrorBody = { code: exception.code, message: exception.message };
    if (exception.fields.length) body.fields = exception.fields;
    return [STATUS_BY_KIND[exception.kind], body];
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const raw = exception.getResponse();
    if (typeof raw === 'object' && raw !== null && 'code' in raw && typeof (raw as ApiErrorBody).code === 'string') return [status, raw as ApiErrorBody];
    const message =
      typeof raw === 'string'
        ? raw
        : Array.isArray((raw as { message?: unknown }).message)
          ? (raw as { message: string[] }).message.join('; ')
          : String((raw as { message?: unknown }).message ?? exception.message);
    // Nest turns body-parser's SyntaxError into a plain 400 carrying JSON.parse's message.
    if (status === 400 && /JSON/.test(message)) return [status, { code: 'MALFORMED_JSON', message: `the request body is not valid JSON: ${message}` }];
    return [status, { code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'HTTP_ERROR'), message }];
  }
  if (exception instanceof UniqueConstraintViolationException) {
    return [HttpStatus.CONFLICT, { code: 'CONFLICT', message: 'a record with the same unique value already exists' }];
  }
  if (isClientHttpError(exception)) {
    // Errors of Express middleware (the body parser: too large, bad charset, too deep) that are
    // safe to show: they carry a 4xx status and `expose`, as the http-errors convention has it.
    const own = typeof exception.code === 'string' && /^[A-Z][A-Z_]+$/.test(exception.code) ? exception.code : undefined;
    return [exception.status, { code: own ?? CODE_BY_STATUS[exception.status] ?? 'HTTP_ERROR', message: exception.message }];
  }
  return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL', message: 'an unexpected error occurred; it has been logged' }];
}

function isClientHttpError(value: unknown): value is Error & { status: number; code?: unknown } {
  if (!(value instanceof Error)) return false;
  const { status, expose } = value as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}
