/** A page of billing documents (statements or invoices) with a period filter whose refusal shows by the field. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../../api/client';
import type { BillingDocumentHeader, Page } from '../../api/types';
import { formatDate, formatMoney, humanize } from '../../ui/format';
import { fieldErrors } from '../../ui/forms';
import { Pager } from '../../ui/Pager';
import { EmptyState, QueryState } from '../../ui/states';

export function DocumentList({
  path,
  label,
  empty,
  runId,
  showStatus = false,
  refreshOn = '',
}: {
  /** `/statements` or `/invoices`. */
  path: string;
  label: string;
  empty: string;
  /** The documents of one run only (the operator's run page: its drafts). */
  runId?: string;
  showStatus?: boolean;
  /** Asks again whenever this changes (a run's page: its round, status and documents made final). */
  refreshOn?: string;
}) {
  const [period, setPeriod] = useState('');
  const [page, setPage] = useState(1);
  const deferred = useDeferredValue(period.trim());
  const documents = useQuery({
    queryKey: ['billing-documents', path, runId ?? '', deferred, page, refreshOn],
    queryFn: () => api.get<Page<BillingDocumentHeader>>(`${path}${query({ period: deferred, runId, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const errors = fieldErrors(documents.error);
  const filterId = `${label.replace(/\W+/g, '-').toLowerCase()}-period`;
  return (
    <>
      {!runId && (
        <form className="filters" role="search" aria-label={`Filter ${label.toLowerCase()}`} onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor={filterId}>Period</label>
            <input
              id={filterId}
              value={period}
              placeholder="2026-10"
              onChange={(e) => {
                setPeriod(e.target.value);
                setPage(1);
              }}
              aria-invalid={errors.period ? true : undefined}
              aria-describedby={errors.period ? `${filterId}-error` : undefined}
            />
            {errors.period && (
              <p id={`${filterId}-error`} className="field-error">
                {errors.period}
              </p>
            )}
          </div>
        </form>
      )}
      {errors.period ? null : (
        <QueryState
          query={documents}
          loadingLabel={`Loading ${label.toLowerCase()}…`}
          isEmpty={(d) => d.items.length === 0}
          empty={<EmptyState title={deferred ? `Nothing for ${deferred}` : empty} />}
        >
          {(data) => (
            <>
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">{label}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Period</th>
                      <th scope="col">Number</th>
                      <th scope="col">Kind</th>
                      <th scope="col">From</th>
                      <th scope="col">To</th>
                      {showStatus && <th scope="col">Status</th>}
                      <th scope="col">Issued</th>
                      <th scope="col" className="num">
                        Total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((d) => (
                      <tr key={d.id}>
                        <td>{d.period}</td>
                        <td>
                          <Link to={`/documents/${d.id}`}>{d.number ?? `Draft ${d.id.slice(0, 8)}`}</Link>
                        </td>
                        <td>{humanize(d.kind)}</td>
                        <td>{d.issuer.name}</td>
                        <td>{d.recipient.name}</td>
                        {showStatus && (
                          <td>
                            <span className={`badge badge--${d.status === 'final' ? 'active' : 'open'}`}>{humanize(d.status)}</span>
                          </td>
                        )}
                        <td>{formatDate(d.issuedAt)}</td>
                        <td className="num">{formatMoney(d.totals.total, d.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager meta={data.meta} onPage={setPage} label={`${label} pages`} />
            </>
          )}
        </QueryState>
      )}
    </>
  );
}
