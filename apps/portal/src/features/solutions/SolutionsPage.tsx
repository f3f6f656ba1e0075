/**
 * Solutions the user may see: a reseller's clients' (its architects start new ones here), the
 * operator's all, and a client's own, each shown as its network map with where its approval stands.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { SOLUTION_STATUSES } from '@wholesail/domain';
import { api, query } from '../../api/client';
import type { Page, Party, Solution } from '../../api/types';
import { getSession } from '../../auth/session';
import { Dialog } from '../../ui/Dialog';
import { FormActions } from '../../ui/FormActions';
import { formatDateTime, humanize } from '../../ui/format';
import { fieldErrors, FormError, formValues, SelectField, TextField } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { EmptyState, QueryState } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { NetworkMap } from './NetworkMap';
import { shownVersion } from './solution-queries';
import { isWaiting, statusSentence } from './solution-status';
import { useIdempotencyKey } from '../../ui/useIdempotencyKey';

export default function SolutionsPage() {
  const principal = getSession()?.principal;
  const roles = principal?.roles ?? [];
  const mayCreate = principal?.partyKind === 'reseller' && roles.some((r) => r === 'architect' || r === 'reseller-admin');
  const isClient = principal?.partyKind === 'client';
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const solutions = useQuery({
    queryKey: ['solutions', 'list', status, page],
    queryFn: () => api.get<Page<Solution>>(`/solutions${query({ status, page, pageSize: isClient ? 20 : 50 })}`),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((s) => isWaiting(s.status)) ? 5000 : false),
  });
  return (
    <>
      <PageHeader
        title="Solutions"
        description={
          isClient ? 'Your solutions: their network maps and where their approval stands.' : 'Client solutions: designs, versions and their approval.'
        }
        actions={
          mayCreate && (
            <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
              New solution
            </button>
          )
        }
      />
      <form className="filters" aria-label="Filter solutions" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setPage(1);
            }}
          >
            <option value="">Any status</option>
            {SOLUTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <QueryState
        query={solutions}
        loadingLabel="Loading solutions…"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={status ? 'No solution has this status' : 'No solutions yet'}>
            {mayCreate && !status ? 'Start one with “New solution”: choose the client, then draw it in the designer.' : null}
          </EmptyState>
        }
      >
        {(data) => (
          <>
            {isClient ? (
              <ul className="solution-cards" aria-label="Solutions">
                {data.items.map((s) => (
                  <li key={s.id} className="card solution-card">
                    <h2>
                      <Link to={`/solutions/${s.id}`}>{s.name}</Link> <span className={`badge badge--${s.status}`}>{humanize(s.status)}</span>
                    </h2>
                    <p>{statusSentence(s)}</p>
                    {shownVersion(s) ? <NetworkMap solutionId={s.id} version={shownVersion(s)!} /> : <p className="muted">No version yet.</p>}
                  </li>
                ))}
              </ul>
            ) : (
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Solutions</caption>
                  <thead>
                    <tr>
                      <th scope="col">Solution</th>
                      <th scope="col">Client</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Versions
                      </th>
                      <th scope="col">Updated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((s) => (
                      <tr key={s.id}>
                        <td>
                          <Link to={`/solutions/${s.id}`}>{s.name}</Link>
                        </td>
                        <td>{s.clientName}</td>
                        <td>
                          <span className={`badge badge--${s.status}`}>{humanize(s.status)}</span>
                        </td>
                        <td className="num">{s.latestVersion}</td>
                        <td>{formatDateTime(s.updatedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager meta={data.meta} onPage={setPage} label="Solution pages" />
          </>
        )}
      </QueryState>
      {creating && <NewSolutionDialog onClose={() => setCreating(false)} />}
    </>
  );
}

function NewSolutionDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const notify = useToast();
  const own = getSession()?.principal;
  const idempotencyKey = useIdempotencyKey();
  // A reseller designs for its own clients (its sub-resellers design for theirs).
  const clients = useQuery({
    queryKey: ['parties', 'list', 'client', 'all'],
    queryFn: () => api.get<Page<Party>>(`/parties${query({ kind: 'client', pageSize: 200 })}`),
  });
  const ownClients = clients.data?.items.filter((c) => c.parentId === own?.partyId) ?? [];
  const create = useMutation({
    mutationFn: (body: Record<string, string>) => api.post<Solution>('/solutions', body, { headers: { 'Idempotency-Key': idempotencyKey(body) } }),
    onSuccess: (solution) => {
      notify(`${solution.name} created: draw it now`);
      void queryClient.invalidateQueries({ queryKey: ['solutions'] });
      onClose();
      void navigate(`/solutions/${solution.id}/design`);
    },
  });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate(formValues(event.currentTarget));
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="New solution"
      description="A solution belongs to one client; its designs are versions of it."
    >
      <form onSubmit={submit} noValidate>
        <FormError error={create.error} fields={['clientId', 'name']} />
        <SelectField label="Client" name="clientId" error={errors.clientId} defaultValue="" autoFocus>
          <option value="">Choose a client</option>
          {ownClients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField label="Solution name" name="name" error={errors.name} maxLength={200} hint="Unique among the client’s solutions, e.g. “Web shop”." />
        <FormActions onCancel={onClose} submitLabel="Create and open the designer" pendingLabel="Creating…" pending={create.isPending} />
      </form>
    </Dialog>
  );
}
