import {
  CallHandler,
  ConflictException,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UnprocessableEntityException,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiConflictResponse, ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { sha256, type Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { IdempotencyClaims } from '@wholesail/persistence';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { catchError, from, Observable, of, switchMap } from 'rxjs';
import { ApiErrorBody } from './api-error';
import { toErrorResponse } from './domain-exception.filter';

const IDEMPOTENT = Symbol('idempotent');
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;
const ANONYMOUS = 'anonymous';

export interface IdempotentRequest extends Request {
  principal?: Principal;
  /** The client's Idempotency-Key, or a fresh UUID when the client sent none. */
  idempotencyKey: string;
}

export interface IdempotentOptions {
  /**
   * What a replay shows an anonymous caller. Every anonymous caller shares one key space and none
   * can prove it sent the first request, so a response holding a secret must not be replayed to
   * them as it was: this maps the stored body of a success (status unchanged) to what anyone may
   * see. Refusals are replayed as they were.
   */
  anonymousReplay?: (stored: unknown) => unknown;
}

/**
 * Marks a POST that honours `Idempotency-Key`. The key is claimed in the database before the work
 * runs: a repeat with the same key and body replays the first response (header
 * `Idempotent-Replayed: true`), also while the first is still running (the repeat waits for it,
 * at most `IDEMPOTENCY_WAIT`, then gets a 409 with Retry-After); the same key with another body
 * is a 422. A 2xx or 4xx answer is stored and replayed; a 5xx, or a body the validation layer
 * refused (400 VALIDATION_FAILED: the work never started), releases the key so a retry runs. The key also feeds workflow IDs, so even a retry after a 5xx starts one workflow.
 */
export function Idempotent(options: IdempotentOptions = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'Client-chosen unique key (8–200 chars of A-Z a-z 0-9 _ . : -). A retry with the same key and body replays the first response (2xx or 4xx; a 5xx, or a body the validation layer refused, frees the key); a concurrent one waits for it.',
    }),
    ApiUnprocessableEntityResponse({ type: ApiErrorBody, description: 'IDEMPOTENCY_KEY_INVALID, or IDEMPOTENCY_KEY_REUSED for another request' }),
    ApiConflictResponse({ type: ApiErrorBody, description: 'IDEMPOTENCY_KEY_IN_PROGRESS: a request with this key is still running (see Retry-After)' }),
  );
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT, context.getHandler());
    if (!options) return next.handle();
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const header = request.header(IDEMPOTENCY_KEY_HEADER);
    if (header === undefined) {
      request.idempotencyKey = randomUUID();
      return next.handle();
    }
    if (!KEY_PATTERN.test(header)) {
      throw new UnprocessableEntityException({
        code: 'IDEMPOTENCY_KEY_INVALID',
        message: 'Idempotency-Key must be 8–200 characters of A-Z a-z 0-9 _ . : -',
        fields: [{ field: IDEMPOTENCY_KEY_HEADER, problem: 'is malformed' }],
      });
    }
    request.idempotencyKey = header;
    const principal = request.principal?.ref ?? ANONYMOUS;
    const claims = new IdempotencyClaims(this.em.fork());
    const claim = claims.claim({
      principal,
      key: header,
      route: `${request.method} ${request.route?.path ?? request.path}`,
      requestHash: sha256(JSON.stringify([request.method, request.originalUrl, request.body ?? null])),
      waitMs: this.config.idempotency.waitMs,
      leaseMs: this.config.idempotency.leaseMs,
    });

    return from(claim).pipe(
      switchMap((outcome) => {
        switch (outcome.kind) {
          case 'mismatch':
            throw new UnprocessableEntityException({
              code: 'IDEMPOTENCY_KEY_REUSED',
              message: 'this Idempotency-Key was already used for a different request',
              fields: [{ field: IDEMPOTENCY_KEY_HEADER, problem: 'was used for a different request' }],
            });
          case 'busy':
            response.setHeader('Retry-After', '1');
            throw new ConflictException({
              code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
              message: 'a request with this Idempotency-Key is still running; retry shortly to get its response',
              fields: [{ field: IDEMPOTENCY_KEY_HEADER, problem: 'is in use by a request still running' }],
            });
          case 'done': {
            response.setHeader('Idempotent-Replayed', 'true');
            if (outcome.status >= 400) throw new HttpException(outcome.body as object, outcome.status);
            response.status(outcome.status);
            return of(principal === ANONYMOUS && options.anonymousReplay ? options.anonymousReplay(outcome.body) : outcome.body);
          }
          case 'claimed':
            return next.handle().pipe(
              switchMap(async (body: unknown) => {
                await claims.complete(principal, header, outcome.claimToken, response.statusCode, body);
                return body;
              }),
              catchError(async (error: unknown) => {
                const [status, body] = toErrorResponse(error);
                // A refusal is an answer (replayed like a success); a failure of ours is worth retrying.
                // Input the validation layer refused never reached the work, so, as with Stripe's keys,
                // nothing is saved: the client corrects the form and sends it again under the same key.
                if (status >= 500 || isValidationRefusal(body)) await claims.release(principal, header, outcome.claimToken);
                else await claims.complete(principal, header, outcome.claimToken, status, body);
                throw error;
              }),
            );
        }
      }),
    );
  }
}

function isValidationRefusal(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { code?: unknown }).code === 'VALIDATION_FAILED';
}
