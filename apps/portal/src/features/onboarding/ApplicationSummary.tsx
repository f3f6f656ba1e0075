import type { Application } from '../../api/types';
import { formatDateTime, humanize } from '../../ui/format';
import { onboardingSteps, statusText } from './onboarding-steps';
import { ProgressSteps } from '../../ui/ProgressSteps';

/** An application's details and where it stands: shared by the applicant's page and the operator's. */
export function ApplicationSummary({ application }: { application: Application }) {
  return (
    <>
      <ProgressSteps label="Onboarding progress" steps={onboardingSteps(application)} announcement={statusText(application.status)} />
      {application.statusReason && (
        <p className="notice">
          <strong>Reason:</strong> {application.statusReason}
        </p>
      )}
      {application.problems && application.problems.length > 0 && (
        <div className="notice notice--warning">
          <p>The automatic checks found:</p>
          <ul>
            {application.problems.map((p) => (
              <li key={`${p.field}:${p.problem}`}>
                <strong>{p.field}</strong> {p.problem}
              </li>
            ))}
          </ul>
        </div>
      )}
      <dl className="details">
        <div>
          <dt>Applying as</dt>
          <dd>{application.parentResellerId ? 'Sub-reseller' : humanize(application.kind)}</dd>
        </div>
        <div>
          <dt>Company</dt>
          <dd>{application.name}</dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>
            {application.contactName} &lt;{application.email}&gt;
          </dd>
        </div>
        <div>
          <dt>Tax ID</dt>
          <dd>{application.taxId}</dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>{formatDateTime(application.submittedAt)}</dd>
        </div>
        <div>
          <dt>Last change</dt>
          <dd>{formatDateTime(application.updatedAt)}</dd>
        </div>
        <div>
          <dt>Round</dt>
          <dd>{application.round}</dd>
        </div>
      </dl>
    </>
  );
}
