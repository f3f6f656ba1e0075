/** One application for the operator or its sponsor: where it stands (live), its open tasks and the decisions taken. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, query } from '../../api/client';
import type { Application, ApprovalDecision, ApprovalDecisionKind, ApprovalTask, Page } from '../../api/types';
import { formatDateTime, humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/states';
import { DecisionDialog } from '../inbox/DecisionDialog';
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

function WorkflowTasks({ workflowId, live }: { workflowId: string; live: boolean }) {
  const [deciding, setDeciding] = useState<{ task: ApprovalTask; decision: ApprovalDecisionKind } | null>(null);
  const tasks = useQuery({
    queryKey: ['approvals', 'tasks', 'workflow', workflowId],
    queryFn: () => api.get<Page<ApprovalTask>>(`/approvals/tasks${query({ workflowId, status: 'open' })}`),
    refetchInterval: live ? 3000 : false,
  });
  const decisions = useQuery({
    queryKey: ['approvals', 'decisions', 'workflow', workflowId],
    queryFn: () => api.get<Page<ApprovalDecision>>(`/approvals/decisions${query({ workflowId })}`),
    refetchInterval: live ? 5000 : false,
  });
  return (
    <>
      <section className="section" aria-labelledby="open-tasks">
        <h2 id="open-tasks">Waiting for a decision</h2>
        <QueryState query={tasks} isEmpty={(d) => d.items.length === 0} empty={<p className="muted">Nothing waits for a decision you can see.</p>}>
          {(data) => (
            <ul className="plain-list">
              {data.items.map((task) => (
                <li key={task.id} className="inline-task">
                  <span>
                    <strong>{task.title}</strong> — asked of {humanize(task.assignee.role)}, due {formatDateTime(task.dueAt)}
                  </span>
                  {task.canDecide && (
                    <span className="button-row">
                      <button type="button" className="button button--primary" onClick={() => setDeciding({ task, decision: 'approve' })}>
                        Approve
                      </button>
                      <button type="button" className="button" onClick={() => setDeciding({ task, decision: 'request-changes' })}>
                        Request changes
                      </button>
                      <button type="button" className="button button--danger" onClick={() => setDeciding({ task, decision: 'reject' })}>
                        Reject
                      </button>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </section>
      <section className="section" aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">Decisions</h2>
        <QueryState query={decisions} isEmpty={(d) => d.items.length === 0} empty={<p className="muted">No decision yet.</p>}>
          {(data) => (
            <ul className="plain-list">
              {data.items.map((d) => (
                <li key={d.id}>
                  {formatDateTime(d.decidedAt)}: <strong>{humanize(d.decision)}</strong> by {d.decidedBy.email ?? d.decidedBy.userId}
                  {d.comment ? ` — “${d.comment}”` : ''}
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </section>
      {deciding && <DecisionDialog task={deciding.task} decision={deciding.decision} onClose={() => setDeciding(null)} />}
    </>
  );
}
