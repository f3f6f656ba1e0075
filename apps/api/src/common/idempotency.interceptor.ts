import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UnprocessableEntityException,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiHeader } from '@nestjs/swagger';
import { sha256, type Principal } from '@wholesail/auth';
import { IdempotencyRecord } from '@wholesail/persistence';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { from, Observable, of, switchMap } from 'rxjs';

const IDEMPOTENT = Symbol('idempotent');
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;

export interface IdempotentRequest extends Request {
  principal?: Principal;
  /** The client's Idempotency-Key, or a fresh UUID when the client sent none. */
  idempotencyKey: string;
}

/**
 * Marks a POST that starts a workflow: it honours `Idempotency-Key`. A repeat with the same key and
 * body replays the first response (header `Idempotent-Replayed: true`); the same key with another
 * body is refused with 422. The key also feeds the workflow ID, so even concurrent repeats start
 * one workflow.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description: 'Client-chosen unique key (8–200 chars of A-Z a-z 0-9 _ . : -); a retry with the same key returns the first response.',
    }),
  );
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly em: EntityManager,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean>(IDEMPOTENT, context.getHandler())) return next.handle();
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
        fields: [{ field: 'Idempotency-Key', problem: 'is malformed' }],
      });
    }
    request.idempotencyKey = header;
    const principal = request.principal?.ref ?? 'anonymous';
    const route = `${request.method} ${request.route?.path ?? request.path}`;
    const requestHash = sha256(JSON.stringify([request.method, request.originalUrl, request.body ?? null]));
    const em = this.em.fork();

    return from(em.findOne(IdempotencyRecord, { principal, key: header })).pipe(
      switchMap((existing) => {
        if (existing) {
          if (existing.requestHash !== requestHash) {
            throw new UnprocessableEntityException({
              code: 'IDEMPOTENCY_KEY_REUSED',
              message: 'this Idempotency-Key was already used for a different request',
              fields: [{ field: 'Idempotency-Key', problem: 'was used for a different request' }],
            });
          }
          response.status(existing.responseStatus).setHeader('Idempotent-Replayed', 'true');
          return of(existing.responseBody);
        }
        return next.handle().pipe(
          switchMap(async (body) => {
            const status = response.statusCode || HttpStatus.OK;
            // A concurrent twin may have stored its record first; both carry the same response.
            const record = em.create(
              IdempotencyRecord,
              { principal, key: header, route, requestHash, responseStatus: status, responseBody: body ?? null },
              { persist: false },
            );
            await em.insert(record).catch(() => undefined);
            return body;
          }),
        );
      }),
    );
  }
}
