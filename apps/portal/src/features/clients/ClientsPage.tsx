/** Clients the user may see (a reseller its own and its sub-resellers', an agent those it found), and adding one. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, query } from '../../api/client';
import type { Page, Party, PartyDetail } from '../../api/types';
import { getSession } from '../../auth/session';
import { Dialog } from '../../ui/Dialog';
import { formatDate, humanize } from '../../ui/format';
import { fieldErrors, FormError, formValues, SelectField, TextField } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { EmptyState, QueryState } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { FormActions } from '../../ui/FormActions';

export default function ClientsPage() {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const q = useDeferredValue(search);
  const roles = getSession()?.principal.roles ?? [];
  const mayAdd = roles.includes('reseller-admin') || roles.includes('operator-admin');
  const clients = useQuery({
    queryKey: ['parties', 'list', 'client', q, page],
    queryFn: () => api.get<Page<Party>>(`/parties${query({ kind: 'client', q, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title="Clients"
        description="The end clients you serve or can see."
        actions={
          mayAdd && (
            <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
              Add a client
            </button>
          )
        }
      />
      <form className="filters" role="search" aria-label="Search clients" onSubmit={(e) => e.preventDefault()}>
        <label>
          Name or code
          <input
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
          />
        </label>
      </form>
      <QueryState
        query={clients}
        loadingLabel="Loading clients…"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={q ? 'No client matches' : 'No clients yet'}>{mayAdd && !q ? 'Add your first client with the button above.' : null}</EmptyState>
        }
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Clients</caption>
                <thead>
                  <tr>
                    <th scope="col">Client</th>
                    <th scope="col">Code</th>
                    <th scope="col">Status</th>
                    <th scope="col">Billing e-mail</th>
                    <th scope="col">Since</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <tr key={c.id}>
                      <td>{roles.includes('agent') ? c.name : <Link to={`/partners/${c.id}`}>{c.name}</Link>}</td>
                      <td className="mono">{c.code}</td>
                      <td>
                        <span className={`badge badge--${c.status}`}>{humanize(c.status)}</span>
                      </td>
                      <td>{c.billingEmail ?? '—'}</td>
                      <td>{formatDate(c.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager meta={data.meta} onPage={setPage} label="Client pages" />
          </>
        )}
      </QueryState>
      {adding && <AddClientDialog onClose={() => setAdding(false)} />}
    </>
  );
}

const CLIENT_FIELDS = ['name', 'code', 'parentId', 'foundById', 'billingEmail', 'notificationEmail', 'taxId'];

function AddClientDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const own = getSession()?.principal;
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  // Where a client may sit: your own reseller or one of your sub-resellers (the operator: any reseller).
  const resellers = useQuery({
    queryKey: ['parties', 'list', 'reseller', 'all'],
    queryFn: () => api.get<Page<Party>>(`/parties${query({ kind: 'reseller', pageSize: 200 })}`),
  });
  const agents = useQuery({
    queryKey: ['parties', 'list', 'agent', 'all'],
    queryFn: () => api.get<Page<Party>>(`/parties${query({ kind: 'agent', pageSize: 200 })}`),
    enabled: own?.partyKind === 'operator',
  });
  const create = useMutation({
    mutationFn: (body: Record<string, string>) => api.post<PartyDetail>('/parties', body, { headers: { 'Idempotency-Key': idempotencyKey } }),
    onSuccess: (client) => {
      notify(`${client.name} added`);
      void queryClient.invalidateQueries({ queryKey: ['parties'] });
      onClose();
    },
  });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ kind: 'client', ...formValues(event.currentTarget) });
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Add a client">
      <form onSubmit={submit} noValidate>
        <FormError error={create.error} fields={CLIENT_FIELDS} />
        <TextField label="Client name" name="name" required error={errors.name} autoFocus />
        <TextField label="Billing e-mail" name="billingEmail" type="email" required error={errors.billingEmail} hint="Where its invoices go." />
        <TextField label="Tax ID (optional)" name="taxId" error={errors.taxId} />
        {(resellers.data?.items.length ?? 0) > (own?.partyKind === 'reseller' ? 1 : 0) && (
          <SelectField label="Served by" name="parentId" error={errors.parentId} defaultValue={own?.partyKind === 'reseller' ? own.partyId : ''}>
            {own?.partyKind !== 'reseller' && <option value="">Choose a reseller</option>}
            {resellers.data?.items.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
        )}
        {own?.partyKind === 'operator' && (agents.data?.items.length ?? 0) > 0 && (
          <SelectField label="Found by agent (optional)" name="foundById" error={errors.foundById} defaultValue="">
            <option value="">No agent</option>
            {agents.data?.items.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
        )}
        <FormActions onCancel={onClose} submitLabel="Add client" pendingLabel="Adding…" pending={create.isPending} />
      </form>
    </Dialog>
  );
}
