import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse } from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import type { Role } from '@wholesail/domain';
import { ApiErrorBody } from '../common/api-error';

export const IS_PUBLIC = Symbol('isPublic');
export const REQUIRED_ROLES = Symbol('requiredRoles');
export const OPTIONAL_AUTH = Symbol('optionalAuth');
export const BEARER_ONLY = Symbol('bearerOnly');

/** The route needs no credentials (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Anonymous callers are let in; credentials, when sent, are checked and identify the caller. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);

/** The caller needs at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

const BEARER_ONLY_NOTE = 'Bearer token only: a person signed in; an X-API-Key is refused with 403 BEARER_TOKEN_REQUIRED.';

/**
 * The route is for people: a bearer token (a signed-in user) only, never an API key. Enforced by
 * the AuthGuard and documented in OpenAPI (bearer the only security scheme, a note, the 403).
 */
export const BearerOnly = () =>
  applyDecorators(
    SetMetadata(BEARER_ONLY, true),
    ApiBearerAuth(),
    ApiForbiddenResponse({ type: ApiErrorBody, description: 'BEARER_TOKEN_REQUIRED: an API key was sent; or the caller lacks the role' }),
    appendOperationDescription(BEARER_ONLY_NOTE),
  );

/** Where @nestjs/swagger keeps @ApiOperation's options (its constants are not exported). */
const API_OPERATION_METADATA = 'swagger/apiOperation';

/** Adds a sentence to the operation's description whichever order the decorators apply in. */
function appendOperationDescription(note: string): MethodDecorator {
  return (_target, _key, descriptor) => {
    const previous = (Reflect.getMetadata(API_OPERATION_METADATA, descriptor.value as object) ?? {}) as { description?: string };
    const description = previous.description ? `${previous.description}\n\n${note}` : note;
    Reflect.defineMetadata(API_OPERATION_METADATA, { ...previous, description }, descriptor.value as object);
    return descriptor;
  };
}

/** The authenticated caller, as resolved by the AuthGuard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  // Undefined only on @OptionalAuth routes called anonymously.
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
