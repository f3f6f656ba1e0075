import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '@wholesail/auth';
import { DomainError, type Role } from '@wholesail/domain';
import type { Request } from 'express';
import { AuthService } from './auth.service';
import { BEARER_ONLY, IS_PUBLIC, OPTIONAL_AUTH, REQUIRED_ROLES } from './auth.decorators';

/**
 * The one global guard: every route needs a bearer JWT or an `X-API-Key` unless marked @Public;
 * @Roles narrows it further. Party scoping happens in the services (TenancyService), which get
 * the principal this guard puts on the request. @BearerOnly routes refuse API keys.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets);
    if (optional && !request.header('x-api-key') && !request.header('authorization')) return true;
    request.principal = await this.authenticate(request);
    if (this.reflector.getAllAndOverride<boolean>(BEARER_ONLY, targets) && request.principal.type !== 'user') {
      throw DomainError.forbidden('BEARER_TOKEN_REQUIRED', 'this action is for people: sign in and send "Authorization: Bearer <token>", not an API key');
    }
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required?.length && !required.some((role) => request.principal!.roles.includes(role))) {
      throw DomainError.forbidden('ROLE_REQUIRED', `this action needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }

  private async authenticate(request: Request): Promise<Principal> {
    const apiKey = request.header('x-api-key');
    if (apiKey) return this.auth.principalFromApiKey(apiKey);
    const authorization = request.header('authorization');
    const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (match) return this.auth.principalFromToken(match[1]);
    throw new DomainError('UNAUTHENTICATED', 'sign in first: send "Authorization: Bearer <token>" or "X-API-Key: <key>"', [], 'unauthenticated');
  }
}
