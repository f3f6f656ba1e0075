/**
 * Domain errors carry a stable machine-readable `code` and, for input problems, the offending
 * fields. They never know about HTTP: the API's exception filter maps codes to status codes and
 * activities map them to non-retryable Temporal failures.
 */
export interface FieldProblem {
  field: string;
  problem: string;
}

export type DomainErrorKind = 'invalid' | 'not-found' | 'forbidden' | 'conflict' | 'unauthenticated';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly kind: DomainErrorKind = 'invalid',
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(code: string, field: string, problem: string): DomainError {
    return new DomainError(code, `${field} ${problem}`, [{ field, problem }], 'invalid');
  }

  static notFound(code: string, message: string): DomainError {
    return new DomainError(code, message, [], 'not-found');
  }

  static forbidden(code: string, message: string): DomainError {
    return new DomainError(code, message, [], 'forbidden');
  }

  static conflict(code: string, message: string, fields: FieldProblem[] = []): DomainError {
    return new DomainError(code, message, fields, 'conflict');
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return (
    value instanceof DomainError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: string }).name === 'DomainError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
