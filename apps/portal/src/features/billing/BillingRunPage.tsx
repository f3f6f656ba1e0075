/**
 * One period's billing run (operator): status, phase, progress while it works (polled), totals,
 * the invariant check, usage left for the next run, and its documents. Finance reviews the drafts
 * (each line's "explain this amount") and approves here or in the inbox: the same approval task.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { ApprovalDecisionKind, ApprovalTask, BillingRun } from '../../api/types';
import { DecisionDialog } from '../inbox/DecisionDialog';
import { formatDateTime, formatMoney, humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, QueryState } from '../../ui/states';
import { DocumentList } from './DocumentList';
import { progressRows, runRefetchInterval, runTone, totalRows } from './billing-run';

export default function BillingRunPage() {
  const { period = '' } = useParams();
  const run = useQuery({
    queryKey: ['billing-runs', 'detail', period],
    queryFn: () => api.get<BillingRun>(`/billing/runs/${encodeURIComponent(period)}`),
    refetchInterval: (q) => (q.state.data ? runRefetchInterval(q.state.data.status) : false),
  });
  return (
    <QueryState query={run} loadingLabel="Loading the run…">
      {(r) => (
        <>
          <PageHeader title={`Billing run ${r.period}`} description={<Link to="/billing-runs">Billing runs</Link>} />
          <dl className="details">
            <div>
              <dt>Status</dt>
              <dd id="billing-run-status" tabIndex={-1}>
                <span className={`badge badge--${runTone(r.status)}`}>{humanize(r.status)}</span>
              </dd>
            </div>
            <div>
              <dt>Phase</dt>
              <dd>{humanize(r.phase)}</dd>
            </div>
            <div>
              <dt>Round</dt>
              <dd>{r.round}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatDateTime(r.createdAt)}</dd>
            </div>
            <div>
              <dt>Finished</dt>
              <dd>{formatDateTime(r.finishedAt)}</dd>
            </div>
          </dl>
          {r.approvalTaskId && <RunApproval taskId={r.approvalTaskId} />}
          {r.failure && (
            <div className="state state--error" role="alert">
              <p className="state-title">The run failed{r.failure.code ? ` (${r.failure.code})` : ''}</p>
              <p>{r.failure.message}</p>
            </div>
          )}
          <section className="section" aria-labelledby="progress-heading">
            <h2 id="progress-heading">Progress</h2>
            <table className="capacity">
              <caption className="sr-only">Progress of the run</caption>
              <tbody aria-live="polite">
                {progressRows(r.progress).map((row) => (
                  <tr key={row.label}>
                    <th scope="row">{row.label}</th>
                    <td>
                      <div className="bar" aria-hidden="true">
                        <div className="bar-fill" style={{ width: `${row.percent}%` }} />
                      </div>
                      <span className="small">
                        {row.done} of {row.total} ({row.percent} %)
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="section" aria-labelledby="totals-heading">
            <h2 id="totals-heading">Totals</h2>
            {totalRows(r.totals).length > 0 ? (
              <dl className="details">
                {totalRows(r.totals).map(({ name, amount }) => (
                  <div key={name}>
                    <dt>{humanize(name)}</dt>
                    <dd className="num">{formatMoney(amount, r.currency ?? 'EUR')}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <EmptyState title="No totals yet" />
            )}
          </section>
          <section className="section" aria-labelledby="invariants-heading">
            <h2 id="invariants-heading">Invariants</h2>
            {!r.invariants ? (
              <EmptyState title="Not checked yet" />
            ) : r.invariants.ok ? (
              <p>
                <span className="badge badge--active">All hold</span> checked {formatDateTime(r.invariants.checkedAt)}
              </p>
            ) : (
              <ul className="plain-list">
                {(r.invariants.violations ?? []).map((v) => (
                  <li key={`${v.invariant}:${v.subject}`}>
                    <span className="badge badge--danger">{v.invariant}</span> {v.message} (expected {v.expected}, got {v.actual})
                  </li>
                ))}
              </ul>
            )}
          </section>
          {r.excludedCount > 0 && (
            <section className="section" aria-labelledby="excluded-heading">
              <h2 id="excluded-heading">Late usage, billed next run ({r.excludedCount})</h2>
              <ul className="plain-list">
                {r.excluded.map((x) => (
                  <li key={x.transactionId}>
                    <span className="mono">{x.sku}</span> of {x.usagePeriod}: {humanize(x.reason)}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section className="section" aria-labelledby="invoices-heading">
            <h2 id="invoices-heading">Invoices</h2>
            <DocumentList
              path="/invoices"
              label="Invoices of the run"
              empty="No invoices drafted yet"
              runId={r.id}
              showStatus
              refreshOn={`${r.round}:${r.status}:${r.progress.documentsFinal}`}
            />
          </section>
          <section className="section" aria-labelledby="statements-heading">
            <h2 id="statements-heading">Payout statements</h2>
            <DocumentList
              path="/statements"
              label="Statements of the run"
              empty="No statements drafted yet"
              runId={r.id}
              showStatus
              refreshOn={`${r.round}:${r.status}:${r.progress.documentsFinal}`}
            />
          </section>
        </>
      )}
    </QueryState>
  );
}

/** The run's open approval task: finance decides it here, as in the inbox; anyone else is told who decides. */
function RunApproval({ taskId }: { taskId: string }) {
  const [deciding, setDeciding] = useState<ApprovalDecisionKind | null>(null);
  const task = useQuery({
    queryKey: ['approvals', 'task', taskId],
    queryFn: () => api.get<ApprovalTask>(`/approvals/tasks/${encodeURIComponent(taskId)}`),
    retry: false,
  });
  const t = task.data;
  const open = !!t && t.canDecide && t.status === 'open';
  // Once decided, the panel and the button that had focus go: keyboard focus moves to the run's
  // status, not the page body.
  const [decided, setDecided] = useState(false);
  useEffect(() => {
    if (decided && !open) document.getElementById('billing-run-status')?.focus();
  }, [decided, open]);
  if (!open) {
    return (
      <p className="notice">
        Waiting for finance: approve or request changes in the <Link to="/inbox">approval inbox</Link>.
      </p>
    );
  }
  return (
    <section className="notice" aria-labelledby="approval-heading">
      <h2 id="approval-heading">Waiting for your approval</h2>
      <p>
        Review the drafts below (each line explains its amount), then approve: the documents get their numbers and are sent. Requesting changes lets you re-rate
        the month.
      </p>
      <div className="button-row">
        <button type="button" className="button button--primary" onClick={() => setDeciding('approve')}>
          Approve the run
        </button>
        <button type="button" className="button" onClick={() => setDeciding('request-changes')}>
          Request changes
        </button>
      </div>
      {deciding && <DecisionDialog task={t} decision={deciding} onClose={() => setDeciding(null)} onDecided={() => setDecided(true)} />}
    </section>
  );
}
