import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Global validation: unknown fields are rejected, payloads are transformed into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    stopAtFirstError: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new BadRequestException({ code: 'VALIDATION_FAILED', message: fields.map((f) => `${f.field} ${f.problem}`).join('; '), fields });
    },
  });
}
