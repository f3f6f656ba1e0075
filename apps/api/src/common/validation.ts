import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import type { ApiFieldError } from './api-error';

function flatten(errors: ValidationError[], prefix = ''): ApiFieldError[] {
  return errors.flatMap((error) => {
    // Array elements read as `lines[0].sku`, the way the domain's errors name them.
    const field = !prefix ? error.property : /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      problem: constraint === 'whitelistValidation' ? 'is not an allowed field' : trimProperty(error.property, message),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function trimProperty(property: string, message: string): string {
  // class-validator messages start with the property name; keep only the problem.
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/** The one 400 for input refused field by field (the validation pipe, the control-character guard). */
export function validationFailed(fields: ApiFieldError[]): BadRequestException {
  return new BadRequestException({ code: 'VALIDATION_FAILED', message: fields.map((f) => `${f.field} ${f.problem}`).join('; '), fields });
}

/**
 * `null` where the DTO's OpenAPI metadata does not declare the property nullable. class-validator's
 * @IsOptional() lets null through as if the field were absent, so `{"name": null}` would reach the
 * services; the document is the contract: only `nullable: true` properties take null.
 */
export function nullProblems(value: unknown, type: unknown, prefix = ''): ApiFieldError[] {
  if (typeof value !== 'object' || value === null || typeof type !== 'function') return [];
  const prototype = (type as { prototype: object }).prototype;
  return Object.entries(value).flatMap(([key, item]) => {
    const property = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, key) as { nullable?: boolean; type?: unknown } | undefined;
    if (!property) return [];
    const field = prefix ? `${prefix}.${key}` : key;
    if (item === null) return property.nullable ? [] : [{ field, problem: 'must not be null' }];
    if (Array.isArray(item)) return item.flatMap((element, index) => nullProblems(element, property.type, `${field}[${index}]`));
    return nullProblems(item, property.type, field);
  });
}

class DocumentedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result: unknown = await super.transform(value, metadata);
    // After class-validator, whose messages (e.g. "must be an email address") are the more telling.
    const problems = metadata.type === 'body' ? nullProblems(value, metadata.metatype) : [];
    if (problems.length) throw validationFailed(problems);
    return result;
  }
}

/**
 * Global validation: unknown fields are rejected, payloads are transformed into DTO instances, and
 * null is refused where the document does not declare it.
 */
export function createValidationPipe(): ValidationPipe {
  return new DocumentedValidationPipe({
    whitelist: true,
    stopAtFirstError: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
