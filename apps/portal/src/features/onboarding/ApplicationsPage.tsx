/** Onboarding applications: the operator sees all, a sponsor those it sponsors. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../../api/client';
import { ONBOARDING_STATUSES } from '@wholesail/contracts/onboarding/onboarding.contract';
import type { Application, ApplicationStatus, Page } from '../../api/types';
import { formatDateTime, humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { EmptyState, QueryState } from '../../ui/states';

export default function ApplicationsPage() {
  const [status, setStatus] = useState<ApplicationStatus | ''>('');
  const [page, setPage] = useState(1);
  const applications = useQuery({
    queryKey: ['applications', 'list', status, page],
    queryFn: () => api.get<Page<Application>>(`/applications${query({ status, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  return (
    <>
      <PageHeader
        title="Applications"
        description="Partners applying to join: follow each through checks, sponsor confirmation and approval."
        actions={
          <Link className="button" to="/apply">
            Open the application form
          </Link>
        }
      />
      <form className="filters" aria-label="Filter applications" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as ApplicationStatus | '');
              setPage(1);
            }}
          >
            <option value="">Any status</option>
            {ONBOARDING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <QueryState
        query={applications}
        loadingLabel="Loading applications…"
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title={status ? 'No application has this status' : 'No applications yet'}>Applications appear here as partners apply.</EmptyState>}
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Applications</caption>
                <thead>
                  <tr>
                    <th scope="col">Company</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Contact</th>
                    <th scope="col">Status</th>
                    <th scope="col">Submitted</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <Link to={`/onboarding/${a.id}`}>{a.name}</Link>
                      </td>
                      <td>{a.parentResellerId ? 'Sub-reseller' : humanize(a.kind)}</td>
                      <td>{a.email}</td>
                      <td>
                        <span className={`badge badge--${a.status}`}>{humanize(a.status)}</span>
                      </td>
                      <td>{formatDateTime(a.submittedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager meta={data.meta} onPage={setPage} label="Application pages" />
          </>
        )}
      </QueryState>
    </>
  );
}
