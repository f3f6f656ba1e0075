/**
 * The operator's hypervisor hosts: capacity, what reservations hold and what is free (per vCPU, RAM
 * and storage), tags, and the last check; operator-admins register hosts and run checks.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorMessage, query } from '../../api/client';
import type { Capacity, Host, HostCheck, Page } from '../../api/types';
import { getSession } from '../../auth/session';
import { Dialog } from '../../ui/Dialog';
import { FormActions } from '../../ui/FormActions';
import { formatDateTime, humanize } from '../../ui/format';
import { fieldErrors, FormError, SelectField, TextArea, TextField } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { EmptyState, QueryState } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { hostBody, HOST_FIELDS, tagsError, type HostKind } from './host-form';
import { useIdempotencyKey } from '../../ui/useIdempotencyKey';

const DIMENSIONS: { key: keyof Capacity; label: string; unit: string }[] = [
  { key: 'vcpu', label: 'vCPU', unit: '' },
  { key: 'ramGb', label: 'RAM', unit: ' GB' },
  { key: 'storageGb', label: 'Storage', unit: ' GB' },
];

export default function HostsPage() {
  const isAdmin = getSession()?.principal.roles.includes('operator-admin') ?? false;
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const hosts = useQuery({
    queryKey: ['hosts', 'list', status, kind, page],
    queryFn: () => api.get<Page<Host>>(`/hosts${query({ status, kind, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  return (
    <>
      <PageHeader
        title="Hosts"
        description="Hypervisor hosts, what placement has reserved on them and what is free."
        actions={
          isAdmin && (
            <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
              Register a host
            </button>
          )
        }
      />
      <form className="filters" aria-label="Filter hosts" onSubmit={(e) => e.preventDefault()}>
        <label>
          Kind
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setPage(1);
            }}
          >
            <option value="">Any kind</option>
            <option value="vsphere">vSphere</option>
            <option value="libvirt">libvirt</option>
          </select>
        </label>
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
            <option value="active">Active</option>
            <option value="maintenance">Maintenance</option>
            <option value="retired">Retired</option>
          </select>
        </label>
      </form>
      <QueryState
        query={hosts}
        loadingLabel="Loading hosts…"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={status || kind ? 'No host matches' : 'No hosts yet'}>{isAdmin && !status && !kind ? 'Register the first one.' : null}</EmptyState>
        }
      >
        {(data) => (
          <>
            <ul className="host-list" aria-label="Hosts">
              {data.items.map((host) => (
                <HostCard key={host.id} host={host} isAdmin={isAdmin} />
              ))}
            </ul>
            <Pager meta={data.meta} onPage={setPage} label="Host pages" />
          </>
        )}
      </QueryState>
      {adding && <RegisterHostDialog onClose={() => setAdding(false)} />}
    </>
  );
}

function HostCard({ host, isAdmin }: { host: Host; isAdmin: boolean }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const check = useMutation({
    mutationFn: () => api.post<HostCheck>(`/hosts/${encodeURIComponent(host.id)}/check`),
    onSuccess: (result) => {
      notify(result.ok ? `${host.name} answers` : `${host.name}: ${result.error?.message ?? 'the check failed'}`, result.ok ? 'success' : 'error');
      void queryClient.invalidateQueries({ queryKey: ['hosts'] });
    },
  });
  const headingId = `host-${host.id}`;
  const where = host.kind === 'vsphere' ? String(host.connection.sdkUrl ?? '') : String(host.connection.uri ?? '');
  return (
    <li className="card host" aria-labelledby={headingId}>
      <div className="host-head">
        <div>
          <h2 id={headingId} className="host-name">
            {host.name} <span className={`badge badge--${host.status}`}>{humanize(host.status)}</span>
          </h2>
          <p className="small muted">
            {host.kind === 'vsphere' ? 'vSphere' : 'libvirt'} · <span className="mono">{where}</span>
          </p>
        </div>
        {isAdmin && (
          <button type="button" className="button" onClick={() => check.mutate()} disabled={check.isPending}>
            {check.isPending ? 'Checking…' : 'Run a check'}
            <span className="sr-only"> of {host.name}</span>
          </button>
        )}
      </div>
      <table className="capacity">
        <caption className="sr-only">Capacity of {host.name}</caption>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Reserved of capacity</th>
            <th scope="col" className="num">
              Free
            </th>
          </tr>
        </thead>
        <tbody>
          {DIMENSIONS.map(({ key, label, unit }) => {
            const capacity = host.capacity[key];
            const reserved = host.reserved[key];
            const share = capacity > 0 ? Math.min(100, Math.round((reserved / capacity) * 100)) : 0;
            return (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td>
                  <div className="bar" aria-hidden="true">
                    <div className={`bar-fill${share >= 90 ? ' bar-fill--full' : ''}`} style={{ width: `${share}%` }} />
                  </div>
                  <span className="small">
                    {reserved}
                    {unit} of {capacity}
                    {unit} reserved ({share} %)
                  </span>
                </td>
                <td className="num">
                  {host.free[key]}
                  {unit}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <dl className="meta">
        <div>
          <dt>Tags</dt>
          <dd>
            {host.tags.length ? (
              host.tags.map((t) => (
                <span key={t} className="badge">
                  {t}
                </span>
              ))
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Last check</dt>
          <dd>
            <LastCheck check={host.lastCheck} />
          </dd>
        </div>
      </dl>
      {check.isError && (
        <p className="field-error" role="alert">
          {errorMessage(check.error)}
        </p>
      )}
    </li>
  );
}

function LastCheck({ check }: { check: HostCheck | null }) {
  if (!check) return <span className="muted">never checked</span>;
  return check.ok ? (
    <>
      <span className="badge badge--approved">OK</span> {formatDateTime(check.at)}
      <span className="small muted">
        {' '}
        · {check.product} · {check.vms ?? 0} VMs, {check.networks ?? 0} networks
      </span>
    </>
  ) : (
    <>
      <span className="badge badge--danger">Failed</span> {formatDateTime(check.at)}
      <span className="small"> · {check.error?.message}</span>
    </>
  );
}

function RegisterHostDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const [kind, setKind] = useState<HostKind>('vsphere');
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Host>('/hosts', body, { headers: { 'Idempotency-Key': idempotencyKey(body) } }),
    onSuccess: (host) => {
      notify(`${host.name} registered`);
      void queryClient.invalidateQueries({ queryKey: ['hosts'] });
      onClose();
    },
  });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate(hostBody(new FormData(event.currentTarget)));
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Register a host"
      description="Placement reserves capacity on active hosts; a check connects with the host’s driver."
    >
      <form onSubmit={submit} noValidate>
        <FormError error={create.error} fields={[...HOST_FIELDS, ...Object.keys(errors).filter((f) => f.startsWith('tags['))]} />
        <TextField label="Name" name="name" error={errors.name} autoFocus maxLength={100} />
        <SelectField label="Kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as HostKind)} error={errors.kind}>
          <option value="vsphere">vSphere</option>
          <option value="libvirt">libvirt</option>
        </SelectField>
        <fieldset>
          <legend>Capacity offered to placement</legend>
          <div className="row">
            <TextField label="vCPUs" name="capacity.vcpu" inputMode="numeric" error={errors['capacity.vcpu']} />
            <TextField label="RAM (GB)" name="capacity.ramGb" inputMode="numeric" error={errors['capacity.ramGb']} />
            <TextField label="Storage (GB)" name="capacity.storageGb" inputMode="numeric" error={errors['capacity.storageGb']} />
          </div>
        </fieldset>
        <TextField
          label="Tags (optional)"
          name="tags"
          error={tagsError(errors)}
          hint="Separated by commas, e.g. ssd, eu-west: placement matches required tags."
        />
        <SelectField label="Status" name="status" defaultValue="active" error={errors.status}>
          <option value="active">Active: takes new reservations</option>
          <option value="maintenance">Maintenance</option>
        </SelectField>
        {kind === 'vsphere' ? (
          <fieldset>
            <legend>vSphere connection</legend>
            <TextField label="SDK URL" name="sdkUrl" placeholder="https://vcenter.example.com/sdk" error={errors.sdkUrl} />
            <div className="row">
              <TextField label="User name" name="username" autoComplete="off" error={errors.username} />
              <TextField label="Password" name="password" type="password" autoComplete="new-password" error={errors.password} />
            </div>
            <div className="row">
              <TextField label="Datacenter" name="datacenter" error={errors.datacenter} />
              <TextField label="Cluster" name="cluster" error={errors.cluster} />
            </div>
            <div className="row">
              <TextField label="Datastore" name="datastore" error={errors.datastore} />
              <TextField label="Distributed switch" name="network" error={errors.network} hint="Where new networks go." />
            </div>
            <TextArea label="CA certificate (optional, PEM)" name="caCertificate" rows={3} error={errors.caCertificate} />
            <label className="check">
              <input type="checkbox" name="insecureTls" value="true" /> Accept any TLS certificate (labs and simulators only)
            </label>
          </fieldset>
        ) : (
          <fieldset>
            <legend>libvirt connection</legend>
            <TextField label="Connection URI" name="uri" placeholder="qemu+ssh://root@kvm-1/system" error={errors.uri} />
            <TextField label="Host bridge (optional)" name="network" placeholder="wsbr0" error={errors.network} />
          </fieldset>
        )}
        <FormActions onCancel={onClose} submitLabel="Register host" pendingLabel="Registering…" pending={create.isPending} />
      </form>
    </Dialog>
  );
}
