import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DomainError, type DomainErrorKind, type FieldProblem } from '@wholesail/domain';

export interface UpdateRefusalOptions {
  /** How each refusal code reads over HTTP; unlisted codes are conflicts. */
  kinds: Record<string, DomainErrorKind>;
  /** The code when a validator refused without one. */
  fallbackCode: string;
  /** The error when the workflow has already ended (no handler left to ask). */
  ended: () => DomainError;
}

/**
 * Runs a Temporal Update and turns its refusals into DomainErrors: a validator's or handler's
 * ApplicationFailure keeps its `type` as the code and the fields at fault (its first detail's
 * `fields`, as workflows attach them); a workflow that has ended becomes `ended()`.
 * Anything else (Temporal unreachable, …) is rethrown as is.
 */
export async function executeUpdateOrRefuse<T>(call: () => Promise<T>, options: UpdateRefusalOptions): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause as { type?: string; message?: string; details?: unknown[] } | undefined;
      const code = cause?.type ?? options.fallbackCode;
      throw new DomainError(code, cause?.message ?? 'the request was refused', fieldsOf(cause?.details?.[0]), options.kinds[code] ?? 'conflict');
    }
    if (error instanceof WorkflowNotFoundError || (error as { name?: string } | null)?.name === 'WorkflowNotFoundError') throw options.ended();
    throw error;
  }
}

function fieldsOf(detail: unknown): FieldProblem[] {
  const fields = (detail as { fields?: unknown } | null | undefined)?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter((f): f is FieldProblem => typeof f?.field === 'string' && typeof f?.problem === 'string');
}
