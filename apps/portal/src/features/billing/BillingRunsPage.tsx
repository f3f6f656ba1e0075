/** The operator's billing runs, newest first, and starting a month-end run or a dry run of a period. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, query } from '../../api/client';
import type { BillingRun, Page } from '../../api/types';
import { Dialog } from '../../ui/Dialog';
import { FormActions } from '../../ui/FormActions';
import { formatDateTime, humanize } from '../../ui/format';
import { fieldErrors, FormError, TextField } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { EmptyState, QueryState } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { useIdempotencyKey } from '../../ui/useIdempotencyKey';
import { isRunWorking, previousPeriod, runTone, share } from './billing-run';

export default function BillingRunsPage() {
  const [page, setPage] = useState(1);
  const [starting, setStarting] = useState(false);
  const runs = useQuery({
    queryKey: ['billing-runs', 'list', page],
    queryFn: () => api.get<Page<BillingRun>>(`/billing/runs${query({ page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((r) => isRunWorking(r.status)) ? 5_000 : 30_000),
  });
  return (
    <>
      <PageHeader
        title="Billing runs"
        description="Month-end runs and dry runs: each freezes usage, rates it, drafts the documents and waits for finance’s approval in the inbox."
        actions={
          <button type="button" className="button button--primary" onClick={() => setStarting(true)}>
            Start a run
          </button>
        }
      />
      <QueryState
        query={runs}
        loadingLabel="Loading billing runs…"
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title="No billing runs yet">Start the run of the month that ended, or a dry run first.</EmptyState>}
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Billing runs</caption>
                <thead>
                  <tr>
                    <th scope="col">Period</th>
                    <th scope="col">Mode</th>
                    <th scope="col">Status</th>
                    <th scope="col">Phase</th>
                    <th scope="col" className="num">
                      Clients rated
                    </th>
                    <th scope="col">Started</th>
                    <th scope="col">Finished</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((run) => (
                    <tr key={run.id}>
                      <td>{run.mode === 'run' ? <Link to={`/billing-runs/${run.period}`}>{run.period}</Link> : run.period}</td>
                      <td>{humanize(run.mode)}</td>
                      <td>
                        <span className={`badge badge--${runTone(run.status)}`}>{humanize(run.status)}</span>
                      </td>
                      <td>{humanize(run.phase)}</td>
                      <td className="num">
                        {run.progress.clientsRated} of {run.progress.clientsTotal} ({share(run.progress.clientsRated, run.progress.clientsTotal)} %)
                      </td>
                      <td>{formatDateTime(run.createdAt)}</td>
                      <td>{formatDateTime(run.finishedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager meta={data.meta} onPage={setPage} label="Billing run pages" />
          </>
        )}
      </QueryState>
      {starting && <StartRunDialog onClose={() => setStarting(false)} />}
    </>
  );
}

function StartRunDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const navigate = useNavigate();
  const idempotencyKey = useIdempotencyKey();
  const start = useMutation({
    mutationFn: (body: { period: string; dryRun: boolean }) =>
      api.post<BillingRun>('/billing/runs', body, { headers: { 'Idempotency-Key': idempotencyKey(body) } }),
    onSuccess: (run) => {
      notify(run.mode === 'run' ? `The run of ${run.period} started` : `The dry run of ${run.period}: ${humanize(run.status)}`);
      void queryClient.invalidateQueries({ queryKey: ['billing-runs'] });
      onClose();
      if (run.mode === 'run') void navigate(`/billing-runs/${run.period}`);
    },
  });
  const errors = fieldErrors(start.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    start.mutate({ period: String(form.get('period') ?? '').trim(), dryRun: form.get('dryRun') === 'true' });
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Start a billing run"
      description="A run bills a month that has ended and asks finance to approve; a dry run computes every figure and writes nothing final."
    >
      <form onSubmit={submit} noValidate>
        <FormError error={start.error} fields={['period', 'dryRun']} />
        <TextField label="Period" name="period" defaultValue={previousPeriod(new Date())} hint="The month, as YYYY-MM." error={errors.period} autoFocus />
        <label className="check">
          <input type="checkbox" name="dryRun" value="true" /> Dry run: compute the figures only
        </label>
        <FormActions onCancel={onClose} submitLabel="Start" pendingLabel="Starting…" pending={start.isPending} />
      </form>
    </Dialog>
  );
}
