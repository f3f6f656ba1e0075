import { log } from '@temporalio/workflow';

export interface Compensation {
  /** The step it undoes (recorded as `undone`, or `undo-failed`). */
  step: string;
  undo: () => Promise<unknown>;
}

/**
 * The undo stack of a multi-step change. Each step registers its undo as soon as it is about to
 * leave something behind; on a failure that will not pass, `compensate` runs the undos in reverse
 * order and keeps going when one fails: the failure is logged and returned (never thrown), so one
 * stuck resource cannot keep the others, or the capacity, from being given back.
 */
export class Saga {
  private readonly stack: Compensation[] = [];

  add(compensation: Compensation): void {
    this.stack.push(compensation);
  }

  get size(): number {
    return this.stack.length;
  }

  async compensate(): Promise<{ step: string; message: string }[]> {
    const failures: { step: string; message: string }[] = [];
    while (this.stack.length) {
      const { step, undo } = this.stack.pop() as Compensation;
      try {
        await undo();
      } catch (error) {
        const message = messageOf(error);
        log.error('undo failed; continuing with the others', { step, message });
        failures.push({ step, message });
      }
    }
    return failures;
  }
}

/** The innermost message of a failure (an activity failure wraps the activity's own error). */
export function messageOf(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as { message?: string; cause?: unknown };
  return current?.message ?? String(error);
}
