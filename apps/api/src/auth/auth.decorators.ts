import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import type { Role } from '@wholesail/domain';

export const IS_PUBLIC = Symbol('isPublic');
export const REQUIRED_ROLES = Symbol('requiredRoles');
export const OPTIONAL_AUTH = Symbol('optionalAuth');

/** The route needs no credentials (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Anonymous callers are let in; credentials, when sent, are checked and identify the caller. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);

/** The caller needs at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The authenticated caller, as resolved by the AuthGuard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  // Undefined only on @OptionalAuth routes called anonymously.
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
