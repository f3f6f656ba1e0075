/** Who decided what: every recorded decision on tasks the user can see, newest first. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../../api/client';
import type { ApprovalDecision, Page } from '../../api/types';
import { formatDateTime, humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, QueryState } from '../../ui/states';
import { Pager } from '../../ui/Pager';

export default function DecisionsPage() {
  const [page, setPage] = useState(1);
  const decisions = useQuery({
    queryKey: ['approvals', 'decisions', page],
    queryFn: () => api.get<Page<ApprovalDecision>>(`/approvals/decisions${query({ page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Decisions" description="Every approval decision on tasks you can see: who decided what, and when." />
      <QueryState
        query={decisions}
        loadingLabel="Loading decisions…"
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title="No decisions yet">Decisions appear here once someone approves, rejects or requests changes.</EmptyState>}
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Recorded decisions</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Decision</th>
                    <th scope="col">Comment</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Process</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((d) => (
                    <tr key={d.id}>
                      <td>{formatDateTime(d.decidedAt)}</td>
                      <td>
                        {d.decidedBy.email ?? d.decidedBy.userId}
                        <div className="muted small">{d.decidedBy.roles.map(humanize).join(', ')}</div>
                      </td>
                      <td>
                        <span className={`badge badge--${d.decision}`}>{humanize(d.decision)}</span>
                      </td>
                      <td>{d.comment ?? <span className="muted">—</span>}</td>
                      <td>{d.outcome ? humanize(d.outcome) : <span className="muted">still open</span>}</td>
                      <td className="mono small">{d.workflowId}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager meta={data.meta} onPage={setPage} label="Decisions pages" />
          </>
        )}
      </QueryState>
    </>
  );
}
