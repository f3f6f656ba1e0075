/** The e-mail outbox (operator): every mail the system sent or tries to send, with its delivery. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { api, query } from '../../api/client';
import type { EmailMessage, Page } from '../../api/types';
import { formatDateTime, humanize } from '../../ui/format';
import { fieldErrors } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { EmptyState, QueryState } from '../../ui/states';

export default function OutboxPage() {
  const [status, setStatus] = useState('');
  const [template, setTemplate] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const filters = useDeferredValue({ status, template: template.trim(), to: to.trim() });
  const emails = useQuery({
    queryKey: ['emails', filters, page],
    queryFn: () => api.get<Page<EmailMessage>>(`/emails${query({ ...filters, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
    retry: false,
  });
  const errors = fieldErrors(emails.error);
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  return (
    <>
      <PageHeader title="E-mail outbox" description="Every e-mail the system sends, with its delivery: pending, sent, or failed with the last error." />
      <form className="filters" role="search" aria-label="Filter e-mails" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => reset(setStatus)(e.target.value)}>
            <option value="">Any status</option>
            <option value="pending">Pending</option>
            <option value="sent">Sent</option>
            <option value="failed">Failed</option>
          </select>
        </label>
        <label>
          Template
          <input value={template} onChange={(e) => reset(setTemplate)(e.target.value)} placeholder="welcome" />
        </label>
        <div className="field">
          <label htmlFor="outbox-to">Recipient</label>
          <input
            id="outbox-to"
            type="email"
            value={to}
            onChange={(e) => reset(setTo)(e.target.value)}
            aria-invalid={errors.to ? true : undefined}
            aria-describedby={errors.to ? 'outbox-to-error' : undefined}
          />
          {errors.to && (
            <p id="outbox-to-error" className="field-error">
              {errors.to}
            </p>
          )}
        </div>
      </form>
      {errors.to ? null : (
        <QueryState query={emails} loadingLabel="Loading the outbox…" isEmpty={(d) => d.items.length === 0} empty={<EmptyState title="No e-mail matches" />}>
          {(data) => (
            <>
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">E-mails</caption>
                  <thead>
                    <tr>
                      <th scope="col">Created</th>
                      <th scope="col">Template</th>
                      <th scope="col">To</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Attempts
                      </th>
                      <th scope="col">Sent</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((m) => (
                      <tr key={m.id}>
                        <td>{formatDateTime(m.createdAt)}</td>
                        <td className="mono">{m.template}</td>
                        <td>{m.to}</td>
                        <td>{m.subject}</td>
                        <td>
                          <span className={`badge badge--${m.status === 'failed' ? 'danger' : m.status === 'sent' ? 'active' : 'open'}`}>
                            {humanize(m.status)}
                          </span>
                          {m.lastError && <div className="small field-error">{m.lastError}</div>}
                        </td>
                        <td className="num">{m.attempts}</td>
                        <td>{formatDateTime(m.sentAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager meta={data.meta} onPage={setPage} label="Outbox pages" />
            </>
          )}
        </QueryState>
      )}
    </>
  );
}
