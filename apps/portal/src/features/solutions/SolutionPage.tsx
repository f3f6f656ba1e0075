/**
 * One solution: where its approval stands (live while it runs), what was asked of the architect,
 * its versions (submit one, open it in the designer), a version's network map, quote and share
 * links, and the approval's tasks and decisions.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage, query } from '../../api/client';
import type { ApprovalDecision, DesignVersionSummary, Page, ShareLink, Solution, Submission } from '../../api/types';
import { getSession } from '../../auth/session';
import { Dialog } from '../../ui/Dialog';
import { FormActions } from '../../ui/FormActions';
import { formatDateTime, formatMoney, humanize } from '../../ui/format';
import { fieldErrors, FormError, TextArea, TextField } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { ProgressSteps } from '../../ui/ProgressSteps';
import { QueryState } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { WorkflowTasks } from '../inbox/WorkflowTasks';
import { QuoteTable } from '../pricing/QuoteTable';
import { EnvironmentStatus } from './EnvironmentStatus';
import { NetworkMap } from './NetworkMap';
import { followSubmission, shownVersion, useSolution, useVersion, useVersions } from './solution-queries';
import { approvalSteps, isWaiting, maySubmit, statusSentence } from './solution-status';

function mayWrite(): boolean {
  const principal = getSession()?.principal;
  return principal?.partyKind === 'reseller' && principal.roles.some((r) => r === 'architect' || r === 'reseller-admin');
}

export default function SolutionPage() {
  const { id = '' } = useParams();
  const solution = useSolution(id);
  return (
    <QueryState query={solution} loadingLabel="Loading the solution…">
      {(s) => <SolutionView solution={s} />}
    </QueryState>
  );
}

function SolutionView({ solution }: { solution: Solution }) {
  const writer = mayWrite();
  const live = isWaiting(solution.status);
  const versions = useVersions(solution.id, live);
  const [picked, setPicked] = useState<number | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const shown = picked ?? shownVersion(solution);
  const decisions = useQuery({
    queryKey: ['approvals', 'decisions', 'workflow', solution.workflowId],
    queryFn: () => api.get<Page<ApprovalDecision>>(`/approvals/decisions${query({ workflowId: solution.workflowId })}`),
    refetchInterval: live ? 5000 : false,
  });
  const round = `:operator:${solution.round}`;
  const operatorAsked = solution.status === 'awaiting-operator' || decisions.data?.items.some((d) => d.taskId.endsWith(round)) ? true : null;

  return (
    <>
      <PageHeader
        title={solution.name}
        description={
          <>
            For {solution.clientName} · <Link to="/solutions">All solutions</Link>
          </>
        }
        actions={
          writer && (
            <div className="button-row">
              <Link to={`/solutions/${solution.id}/design`} className="button button--primary">
                Open the designer
              </Link>
              {isWaiting(solution.status) && (
                <button type="button" className="button button--danger" onClick={() => setWithdrawing(true)}>
                  Withdraw from approval
                </button>
              )}
            </div>
          )
        }
      />
      <section aria-labelledby="approval-heading">
        <h2 id="approval-heading">
          Approval <span className={`badge badge--${solution.status}`}>{humanize(solution.status)}</span>
        </h2>
        <ProgressSteps steps={approvalSteps(solution, operatorAsked)} label="Approval progress" announcement={statusSentence(solution)} />
        {solution.changesRequested && (
          <div className="notice notice--warning">
            <p>
              <strong>Changes requested</strong> by {solution.changesRequested.byEmail ?? solution.changesRequested.stepKey} on{' '}
              {formatDateTime(solution.changesRequested.at)}: “{solution.changesRequested.comment}”
            </p>
            {solution.changesRequested.problems && solution.changesRequested.problems.length > 0 && (
              <ul>
                {solution.changesRequested.problems.map((p) => (
                  <li key={`${p.field}:${p.problem}`}>
                    <span className="mono">{p.field}</span> {p.problem}
                  </li>
                ))}
              </ul>
            )}
            <p>A new version must be submitted by {formatDateTime(solution.changesRequested.respondBy)}.</p>
          </div>
        )}
      </section>

      <EnvironmentStatus solutionId={solution.id} />

      <section className="section" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <QueryState
          query={versions}
          isEmpty={(d) => d.items.length === 0}
          empty={<p className="muted">{writer ? 'No version saved yet: open the designer to draw one.' : 'No version yet.'}</p>}
        >
          {(data) => <VersionsTable solution={solution} versions={data.items} shown={shown} onShow={setPicked} writer={writer} />}
        </QueryState>
      </section>

      {shown && <VersionDetail solution={solution} version={shown} writer={writer} />}

      <WorkflowTasks workflowId={solution.workflowId} live={live} />
      {withdrawing && <WithdrawDialog solution={solution} onClose={() => setWithdrawing(false)} />}
    </>
  );
}

function VersionsTable({
  solution,
  versions,
  shown,
  onShow,
  writer,
}: {
  solution: Solution;
  versions: DesignVersionSummary[];
  shown: number | null;
  onShow: (version: number) => void;
  writer: boolean;
}) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const submit = useMutation({
    mutationFn: (version: number) =>
      api.post<Submission>(
        `/solutions/${encodeURIComponent(solution.id)}/versions/${version}/submissions`,
        {},
        { headers: { 'Idempotency-Key': crypto.randomUUID() } },
      ),
    onSuccess: (submission) => {
      notify(`Version ${submission.versionNo} submitted for approval`);
      followSubmission(queryClient, submission);
    },
  });
  return (
    <>
      {submit.error != null && (
        <div className="form-error" role="alert">
          <p>This version cannot be submitted: {errorMessage(submit.error)}</p>
          {fieldList(submit.error)}
        </div>
      )}
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">By</th>
              <th scope="col">Saved</th>
              <th scope="col" className="num">
                Monthly total
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} aria-current={v.version === shown ? 'true' : undefined} className={v.version === shown ? 'row--current' : undefined}>
                <th scope="row">
                  {v.version}
                  {v.note && <span className="small muted"> — {v.note}</span>}
                </th>
                <td>
                  <span className={`badge badge--${v.status}`}>{humanize(v.status)}</span>
                </td>
                <td>{v.authorEmail}</td>
                <td>{formatDateTime(v.createdAt)}</td>
                <td className="num">{v.monthlyTotal ? formatMoney(v.monthlyTotal, v.currency ?? undefined) : '—'}</td>
                <td>
                  <div className="button-row">
                    <button type="button" className="button" onClick={() => onShow(v.version)} aria-pressed={v.version === shown}>
                      Show<span className="sr-only"> version {v.version}</span>
                    </button>
                    {writer && (
                      <Link to={`/solutions/${solution.id}/design?version=${v.version}`} className="button">
                        Edit a copy<span className="sr-only"> of version {v.version}</span>
                      </Link>
                    )}
                    {writer && v.status === 'draft' && maySubmit(solution.status) && (
                      <button type="button" className="button button--primary" disabled={submit.isPending} onClick={() => submit.mutate(v.version)}>
                        Submit<span className="sr-only"> version {v.version}</span> for approval
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function fieldList(error: unknown) {
  const fields = Object.entries(fieldErrors(error));
  return fields.length > 0 ? (
    <ul>
      {fields.map(([field, problem]) => (
        <li key={field}>
          <span className="mono">{field}</span> {problem}
        </li>
      ))}
    </ul>
  ) : null;
}

function VersionDetail({ solution, version, writer }: { solution: Solution; version: number; writer: boolean }) {
  const detail = useVersion(solution.id, version);
  return (
    <section className="section" aria-labelledby="version-heading">
      <h2 id="version-heading">Version {version}</h2>
      <NetworkMap solutionId={solution.id} version={version} />
      <QueryState query={detail} loadingLabel="Loading the version…">
        {(v) =>
          v.quote ? (
            <QuoteTable quote={v.quote} caption={`Quote when submitted (${formatDateTime(v.submittedAt)})`} live={false} />
          ) : (
            <p className="muted">No quote yet: a version is quoted when it is submitted.</p>
          )
        }
      </QueryState>
      {writer && <ShareLinks solution={solution} version={version} />}
    </section>
  );
}

function ShareLinks({ solution, version }: { solution: Solution; version: number }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const base = `/solutions/${encodeURIComponent(solution.id)}/versions/${version}/share-links`;
  const links = useQuery({ queryKey: ['solutions', 'share-links', solution.id, version], queryFn: () => api.get<ShareLink[]>(base) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['solutions', 'share-links', solution.id, version] });
  const create = useMutation({
    mutationFn: (expiresInHours: number | string | undefined) => api.post<ShareLink>(base, expiresInHours === undefined ? {} : { expiresInHours }),
    onSuccess: (link) => {
      refresh();
      void copy(link.url);
    },
  });
  const revoke = useMutation({
    mutationFn: (linkId: string) => api.post<ShareLink>(`${base}/${encodeURIComponent(linkId)}/revocations`),
    onSuccess: () => {
      notify('Link revoked: it no longer works');
      refresh();
    },
  });
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      notify('Link copied');
    } catch {
      notify('Copy the link from the list', 'error');
    }
  };
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const days = String(new FormData(event.currentTarget).get('expiresInDays') ?? '').trim();
    // Whole days become hours; anything else goes as typed, so the API says what is wrong with it.
    create.mutate(days === '' ? undefined : /^\d+$/.test(days) ? Number(days) * 24 : days);
  };
  return (
    <section className="section" aria-labelledby="share-heading">
      <h3 id="share-heading">Share the map with the client</h3>
      <p className="muted small">A link shows this version’s network map and nothing else, to anyone who has it, until it expires or you revoke it.</p>
      <form className="filters" onSubmit={submit} noValidate aria-label="Create a share link">
        <FormError error={create.error} fields={['expiresInHours']} />
        <TextField
          label="Valid for (days)"
          name="expiresInDays"
          inputMode="numeric"
          placeholder="14"
          error={errors.expiresInHours ? `${errors.expiresInHours} (in hours: at most 90 days)` : undefined}
        />
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create and copy a link'}
        </button>
      </form>
      <QueryState query={links} isEmpty={(d) => d.length === 0} empty={<p className="muted">No link yet.</p>}>
        {(items) => (
          <ul className="plain-list share-links" aria-label="Share links">
            {items.map((link) => {
              const over = link.revokedAt !== null || Date.parse(link.expiresAt) < Date.now();
              return (
                <li key={link.id} className="inline-task">
                  <span>
                    <input className="share-url mono" readOnly value={link.url} aria-label={`Share link created ${formatDateTime(link.createdAt)}`} />{' '}
                    {link.revokedAt ? (
                      <span className="badge badge--rejected">Revoked {formatDateTime(link.revokedAt)}</span>
                    ) : over ? (
                      <span className="badge badge--expired">Expired</span>
                    ) : (
                      <span className="small muted">until {formatDateTime(link.expiresAt)}</span>
                    )}
                  </span>
                  {!over && (
                    <span className="button-row">
                      <button type="button" className="button" onClick={() => void copy(link.url)}>
                        Copy<span className="sr-only"> the link created {formatDateTime(link.createdAt)}</span>
                      </button>
                      <button type="button" className="button button--danger" disabled={revoke.isPending} onClick={() => revoke.mutate(link.id)}>
                        Revoke<span className="sr-only"> the link created {formatDateTime(link.createdAt)}</span>
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

function WithdrawDialog({ solution, onClose }: { solution: Solution; onClose: () => void }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const withdraw = useMutation({
    mutationFn: (reason?: string) => api.post(`/solutions/${encodeURIComponent(solution.id)}/withdrawals`, reason ? { reason } : {}),
    onSuccess: () => {
      notify(`${solution.name} withdrawn from approval`);
      void queryClient.invalidateQueries({ queryKey: ['solutions'] });
      void queryClient.invalidateQueries({ queryKey: ['approvals'] });
      onClose();
    },
  });
  const errors = fieldErrors(withdraw.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    withdraw.mutate(String(new FormData(event.currentTarget).get('reason') ?? '').trim() || undefined);
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Withdraw ${solution.name}`}
      description="Its open approval tasks close; you can submit a version again later."
    >
      <form onSubmit={submit} noValidate>
        <FormError error={withdraw.error} fields={['reason']} />
        <TextArea label="Reason (optional)" name="reason" rows={3} maxLength={2000} error={errors.reason} autoFocus />
        <FormActions onCancel={onClose} submitLabel="Withdraw" pendingLabel="Withdrawing…" pending={withdraw.isPending} danger />
      </form>
    </Dialog>
  );
}
