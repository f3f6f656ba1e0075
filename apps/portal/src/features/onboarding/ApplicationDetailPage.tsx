/** One application for the operator or its sponsor: where it stands (live), its open tasks and the decisions taken. */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { Application } from '../../api/types';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/states';
import { WorkflowTasks } from '../inbox/WorkflowTasks';
import { ApplicationSummary } from './ApplicationSummary';
import { FINAL_STATUSES } from './onboarding-steps';

export default function ApplicationDetailPage() {
  const { id = '' } = useParams();
  const application = useQuery({
    queryKey: ['applications', 'detail', id],
    queryFn: () => api.get<Application>(`/applications/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data && FINAL_STATUSES.includes(q.state.data.status) ? false : 3000),
  });
  return (
    <QueryState query={application} loadingLabel="Loading the application…">
      {(app) => (
        <>
          <PageHeader title={app.name} description={<Link to="/onboarding">All applications</Link>} />
          <ApplicationSummary application={app} />
          {app.partyId && (
            <p>
              <Link to={`/partners/${app.partyId}`}>Open the new partner</Link>
            </p>
          )}
          <WorkflowTasks workflowId={app.workflowId} live={!FINAL_STATUSES.includes(app.status)} />
        </>
      )}
    </QueryState>
  );
}
