import { ParseUUIDPipe, type INestApplication, type Type } from '@nestjs/common';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ResponsesObject,
  SchemaObject,
  SecurityRequirementObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Role } from '@wholesail/domain';
import { BEARER_ONLY, IS_PUBLIC, OPTIONAL_AUTH, REQUIRED_ROLES } from '../auth/auth.decorators';
import { ApiErrorBody } from './api-error';
import { applyBodyConstraints, applyQueryConstraints } from './openapi-constraints';

/** What the document needs to know of a handler beyond its Swagger decorators. */
export interface HandlerFacts {
  /** Who may call it, read from the metadata the AuthGuard enforces. */
  access: 'public' | 'optional' | 'signed-in';
  /** @BearerOnly: a person signed in, never an API key. */
  bearerOnly: boolean;
  roles: Role[];
  /** The classes of its @Query() DTOs, whose validation constraints the query parameters get. */
  queryTypes: Type[];
  /** Path parameters checked with ParseUUIDPipe. */
  uuidParams: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * The OpenAPI document the API serves at /docs-json. The controllers declare what is particular to
 * an operation (its responses, its own 4xx with their codes); `completeResponses` adds what the
 * shared machinery makes every operation able to answer, so no controller repeats it.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Wholesail API')
      .setDescription(
        'Wholesale cloud back-office for the IT channel. Errors are `{code, message, fields?}`. Lists page with `page` and `pageSize`. POSTs that start workflows honour `Idempotency-Key`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build(),
    { extraModels: [ApiErrorBody] },
  );
  applyBodyConstraints(document.components?.schemas ?? {});
  return completeResponses(document, handlerFacts(app));
}

/** Facts of every handler, keyed by the operationId Nest's Swagger module gives it (`Controller_method`). */
export function handlerFacts(app: INestApplication): Map<string, HandlerFacts> {
  const reflector = new Reflector();
  const result = new Map<string, HandlerFacts>();
  for (const wrapper of new DiscoveryService(app.get(ModulesContainer)).getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!controller) continue;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[key];
      if (key === 'constructor' || typeof handler !== 'function') continue;
      const targets = [handler, controller];
      const access = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
        ? 'public'
        : reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets)
          ? 'optional'
          : 'signed-in';
      const roles = reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets) ?? [];
      const paramTypes = (Reflect.getMetadata(PARAMTYPES_METADATA, prototype, key) ?? []) as Type[];
      const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<string, RouteArg>).map(([slot, arg]) => ({
        ...arg,
        type: Number(slot.split(':')[0]),
      }));
      result.set(`${controller.name}_${key}`, {
        access,
        bearerOnly: reflector.getAllAndOverride<boolean>(BEARER_ONLY, targets) ?? false,
        roles,
        queryTypes: args.filter((arg) => arg.type === RouteParamtypes.QUERY && arg.data === undefined).map((arg) => paramTypes[arg.index]),
        uuidParams: args
          .filter((arg) => arg.type === RouteParamtypes.PARAM && typeof arg.data === 'string' && arg.pipes.some((pipe) => pipe instanceof ParseUUIDPipe))
          .map((arg) => arg.data as string),
      });
    }
  }
  return result;
}

interface RouteArg {
  index: number;
  data?: unknown;
  pipes: unknown[];
}

/**
 * Adds to every operation the responses the shared machinery can give, unless the operation
 * documents that status itself (its own description, with its codes, wins):
 * - security, 401 and 403 wherever credentials are checked (everything but @Public; @OptionalAuth
 *   routes check them when sent): the AuthGuard refuses callers of suspended or closed parties and,
 *   where @Roles narrows the caller, those without the role (the roles go into the description);
 * - 400 wherever there is input (the ValidationPipe, ParseUUIDPipe, malformed JSON);
 * - 404 wherever the request names a record: a path parameter, or a UUID in the query or the body
 *   (unknown and invisible read alike);
 * - 413 wherever there is a body (the JSON body limit).
 * (@Idempotent documents its own 409 and 422; @BearerOnly its 403 and narrows security to bearer.)
 */
export function completeResponses(document: OpenAPIObject, factsById: Map<string, HandlerFacts>): OpenAPIObject {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorBody) } } } });
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = pathItem[method] as OperationObject | undefined;
      if (!operation) continue;
      const facts = factsById.get(operation.operationId ?? '') ?? { access: 'signed-in', bearerOnly: false, roles: [], queryTypes: [], uuidParams: [] };
      const parameters = (operation.parameters ?? []).filter((p): p is ParameterObject => !('$ref' in p));
      applyQueryConstraints(parameters, facts.queryTypes);
      for (const parameter of parameters)
        if (parameter.in === 'path' && facts.uuidParams.includes(parameter.name)) parameter.schema = { type: 'string', format: 'uuid' };
      const responses: ResponsesObject = (operation.responses ??= {});
      errorsAsJson(responses);
      const add = (status: number, description: string) => {
        responses[status] ??= error(description);
      };

      if (facts.access !== 'public') {
        const credentials: SecurityRequirementObject[] = facts.bearerOnly ? [{ bearer: [] }] : [{ bearer: [] }, { 'api-key': [] }];
        operation.security = facts.access === 'optional' ? [{}, ...credentials] : credentials;
        add(401, 'UNAUTHENTICATED: credentials are missing, invalid or expired');
        const roles = facts.roles.length ? `; ROLE_REQUIRED: the caller has none of the roles ${facts.roles.join(', ')}` : '';
        add(403, `PARTY_INACTIVE: the caller’s organisation is suspended or closed${roles}`);
      } else {
        operation.security = [];
      }
      if (facts.roles.length) operation.description = [operation.description, `Roles: ${facts.roles.join(', ')}.`].filter(Boolean).join('\n\n');
      if (parameters.length || operation.requestBody) add(400, 'VALIDATION_FAILED (`fields` names each field and its problem) or MALFORMED_JSON');
      if (parameters.some((p) => p.in === 'path') || namesRecords(document, parameters, operation))
        add(404, 'NOT_FOUND: a record the request names does not exist, or is not visible to you');
      if (operation.requestBody) add(413, 'PAYLOAD_TOO_LARGE: the body exceeds the JSON body limit');
      operation.responses = sortResponses(responses);
    }
  }
  return document;
}

/**
 * Errors are JSON whatever the operation produces on success (the exception filter answers them):
 * @ApiProduces('text/html') or ('image/svg+xml') would otherwise give its error responses that type.
 */
function errorsAsJson(responses: ResponsesObject): void {
  for (const [status, response] of Object.entries(responses)) {
    if (!/^[45]/.test(status) || !response || !('content' in response) || !response.content) continue;
    const schema = Object.values(response.content).find((media) => media.schema)?.schema;
    if (schema) response.content = { 'application/json': { schema } };
  }
}

/** Whether a query parameter or a top-level body property is a UUID: an id of a record, which may not exist. */
function namesRecords(document: OpenAPIObject, parameters: ParameterObject[], operation: OperationObject): boolean {
  const isUuid = (schema: unknown) => (schema as SchemaObject | undefined)?.format === 'uuid';
  if (parameters.some((p) => p.in === 'query' && isUuid(p.schema))) return true;
  const body = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content['application/json']?.schema : undefined;
  const ref = body && '$ref' in body ? body.$ref.split('/').pop() : undefined;
  const schema = ref ? document.components?.schemas?.[ref] : body;
  return Object.values((schema as SchemaObject | undefined)?.properties ?? {}).some(isUuid);
}

function sortResponses(responses: ResponsesObject): ResponsesObject {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))) as ResponsesObject;
}
