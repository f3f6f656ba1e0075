/**
 * The base of a workflow spec's fake activities: each fake activity records its call here and
 * returns its result, and a test reads what one activity was called with through `of`.
 */
export class RecordedActivities<Name extends string> {
  readonly calls: Array<{ name: Name; input: any }> = [];

  /** The inputs of every call of `name`, in call order. */
  of(name: Name): any[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }

  protected record<T>(name: Name, input: unknown, result: T): T {
    this.calls.push({ name, input });
    this.recorded();
    return result;
  }

  /** Runs after each recorded call (a fake that lets tests wait for calls overrides it). */
  protected recorded(): void {}
}
