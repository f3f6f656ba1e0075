/** The floor of the provisioning benchmark: a workflow that does nothing, started and finished through the same Temporal server. */
export async function noop(): Promise<void> {
  // Nothing: what remains is Temporal's own cost of starting, scheduling and completing a workflow.
}
