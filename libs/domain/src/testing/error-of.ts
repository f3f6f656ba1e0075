import { DomainError } from '../errors';

/** The DomainError `fn` throws; fails the test if it throws nothing or something else. Test helper. */
export function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}
