/**
 * Long work shown as it happens: the steps of a process, each done, current, waiting or failed.
 * The current state is also announced (role=status), so a screen reader hears it move on.
 */
export type StepState = 'done' | 'current' | 'upcoming' | 'failed' | 'skipped';

export interface Step {
  key: string;
  label: string;
  state: StepState;
  detail?: string;
}

const STATE_TEXT: Record<StepState, string> = { done: 'done', current: 'in progress', upcoming: 'not started', failed: 'stopped', skipped: 'not needed' };

export function ProgressSteps({ steps, label, announcement }: { steps: Step[]; label: string; announcement: string }) {
  return (
    <div className="progress">
      <p className="progress-now" role="status" aria-live="polite">
        {announcement}
      </p>
      <ol className="steps" aria-label={label}>
        {steps.map((step) => (
          <li key={step.key} className={`step step--${step.state}`} aria-current={step.state === 'current' ? 'step' : undefined}>
            <span className="step-marker" aria-hidden="true" />
            <span className="step-label">{step.label}</span>
            <span className="sr-only">: {STATE_TEXT[step.state]}</span>
            {step.detail && <span className="step-detail">{step.detail}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}
