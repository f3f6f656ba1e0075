/**
 * The approval inbox: what waits for the user's decision (or was decided), filtered by kind,
 * deadline and status, refreshed while open. Deciding is a dialog with a comment.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../../api/client';
import type { ApprovalDecisionKind, ApprovalTask, ApprovalTaskStatus, Page } from '../../api/types';
import { formatDateTime, formatRelative, humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, QueryState } from '../../ui/states';
import { DecisionDialog } from './DecisionDialog';
import { useNow } from '../../ui/useNow';
import { dueWithin, KNOWN_KINDS, subjectPath, taskKindLabel, type DeadlineFilter } from './subjects';

const STATUSES: ApprovalTaskStatus[] = ['open', 'approved', 'rejected', 'changes-requested', 'expired', 'withdrawn', 'cancelled'];

export default function InboxPage() {
  const [status, setStatus] = useState<ApprovalTaskStatus>('open');
  const [kind, setKind] = useState('all');
  const [deadline, setDeadline] = useState<DeadlineFilter>('any');
  const [deciding, setDeciding] = useState<{ task: ApprovalTask; decision: ApprovalDecisionKind } | null>(null);
  const tasks = useQuery({
    queryKey: ['approvals', 'tasks', status],
    queryFn: () => api.get<Page<ApprovalTask>>(`/approvals/tasks${query({ status, pageSize: 200 })}`),
    refetchInterval: 10_000,
  });
  const kinds = [...new Set([...KNOWN_KINDS, ...(tasks.data?.items.map((t) => t.workflowType) ?? [])])];
  const now = useNow();
  const shown = tasks.data?.items.filter((t) => (kind === 'all' || t.workflowType === kind) && dueWithin(t.dueAt, deadline, now)) ?? [];

  return (
    <>
      <PageHeader title="Approval inbox" description="Decisions that wait for you or your organisation, soonest deadline first." />
      <form className="filters" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="all">All kinds</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {taskKindLabel(k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Deadline
          <select value={deadline} onChange={(e) => setDeadline(e.target.value as DeadlineFilter)}>
            <option value="any">Any deadline</option>
            <option value="overdue">Overdue</option>
            <option value="day">Due within 24 hours</option>
            <option value="week">Due within 7 days</option>
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as ApprovalTaskStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <QueryState query={tasks} loadingLabel="Loading your inbox…">
        {() =>
          shown.length === 0 ? (
            <EmptyState title={status === 'open' && kind === 'all' && deadline === 'any' ? 'Nothing waits for you' : 'No task matches these filters'}>
              {status === 'open' && <p>New approval requests appear here as they arrive.</p>}
            </EmptyState>
          ) : (
            <ul className="task-list" aria-label="Approval tasks">
              {shown.map((task) => (
                <TaskCard key={task.id} task={task} now={now} onDecide={(decision) => setDeciding({ task, decision })} />
              ))}
            </ul>
          )
        }
      </QueryState>
      {deciding && <DecisionDialog task={deciding.task} decision={deciding.decision} onClose={() => setDeciding(null)} />}
    </>
  );
}

function TaskCard({ task, now, onDecide }: { task: ApprovalTask; now: number; onDecide: (decision: ApprovalDecisionKind) => void }) {
  const overdue = task.status === 'open' && Date.parse(task.dueAt) < now;
  const subject = subjectPath(task.subject);
  const headingId = `task-${task.id.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  return (
    <li className="task">
      <div className="task-main">
        <p className="task-kind">{taskKindLabel(task.workflowType)}</p>
        <h2 id={headingId} className="task-title">
          {task.title}
        </h2>
        <p>{task.description}</p>
        <dl className="meta">
          <div>
            <dt>Asked of</dt>
            <dd>
              {humanize(task.assignee.role)}
              {task.assignee.mode === 'all' ? ' (all of them)' : ''}
            </dd>
          </div>
          <div>
            <dt>Since</dt>
            <dd title={formatDateTime(task.openedAt)}>{formatRelative(task.openedAt, now)}</dd>
          </div>
          <div>
            <dt>Deadline</dt>
            <dd title={formatDateTime(task.dueAt)}>
              {formatDateTime(task.dueAt)}{' '}
              {overdue ? <span className="badge badge--danger">Overdue</span> : <span className="muted">({formatRelative(task.dueAt, now)})</span>}
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <span className={`badge badge--${task.status}`}>{humanize(task.status)}</span>
            </dd>
          </div>
        </dl>
        {task.approvals.length > 0 && (
          <div className="task-approvals">
            <h3>Decided so far</h3>
            <ul>
              {task.approvals.map((a) => (
                <li key={`${a.userId}:${a.at}`}>
                  {humanize(a.decision)} by {a.email ?? a.userId}, {formatDateTime(a.at)}
                  {a.comment ? `: “${a.comment}”` : ''}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <div className="task-actions">
        {subject && (
          <Link to={subject} className="button button--link">
            Open {humanize(task.subject.type).toLowerCase()}
            <span className="sr-only"> for {task.title}</span>
          </Link>
        )}
        {task.canDecide && task.status === 'open' && (
          <>
            <button type="button" className="button button--primary" onClick={() => onDecide('approve')}>
              Approve<span className="sr-only"> {task.title}</span>
            </button>
            <button type="button" className="button" onClick={() => onDecide('request-changes')}>
              Request changes<span className="sr-only"> for {task.title}</span>
            </button>
            <button type="button" className="button button--danger" onClick={() => onDecide('reject')}>
              Reject<span className="sr-only"> {task.title}</span>
            </button>
          </>
        )}
      </div>
    </li>
  );
}
