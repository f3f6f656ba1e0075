/**
 * One period's billing run (operator): status, phase, progress while it works (polled), totals,
 * the invariant check, usage left for the next run, and its documents. Finance approves in the inbox.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { BillingRun } from '../../api/types';
import { formatDateTime, formatMoney, humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, QueryState } from '../../ui/states';
import { DocumentList } from './DocumentList';
import { isRunWorking, progressRows, runTone } from './billing-run';

export default function BillingRunPage() {
  const { period = '' } = useParams();
  const run = useQuery({
    queryKey: ['billing-runs', 'detail', period],
    queryFn: () => api.get<BillingRun>(`/billing/runs/${encodeURIComponent(period)}`),
    refetchInterval: (q) => (q.state.data && isRunWorking(q.state.data.status) ? 3_000 : false),
  });
  return (
    <QueryState query={run} loadingLabel="Loading the run…">
      {(r) => (
        <>
          <PageHeader title={`Billing run ${r.period}`} description={<Link to="/billing-runs">Billing runs</Link>} />
          <dl className="details">
            <div>
              <dt>Status</dt>
              <dd>
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
          {r.approvalTaskId && (
            <p className="notice">
              Waiting for finance: approve or request changes in the <Link to="/inbox">approval inbox</Link>.
            </p>
          )}
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
            {r.totals && Object.keys(r.totals).length > 0 ? (
              <dl className="details">
                {Object.entries(r.totals).map(([name, amount]) => (
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
            <DocumentList path="/invoices" label="Invoices of the run" empty="No invoices drafted yet" runId={r.id} showStatus />
          </section>
          <section className="section" aria-labelledby="statements-heading">
            <h2 id="statements-heading">Payout statements</h2>
            <DocumentList path="/statements" label="Statements of the run" empty="No statements drafted yet" runId={r.id} showStatus />
          </section>
        </>
      )}
    </QueryState>
  );
}
