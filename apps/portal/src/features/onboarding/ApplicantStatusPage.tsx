/**
 * The applicant's page, linked from every e-mail (`/applications/{id}?token=…`): where the
 * application stands (live), withdraw it with a reason, or send corrections when asked.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Application } from '../../api/types';
import { fieldErrors, FormError, formValues, TextArea, TextField } from '../../ui/forms';
import { PublicLayout } from '../../shell/PublicLayout';
import { ErrorState, Loading } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { ApplicationSummary } from './ApplicationSummary';
import { FINAL_STATUSES, WITHDRAWABLE_STATUSES } from './onboarding-steps';
import { FormActions } from '../../ui/FormActions';

export default function ApplicantStatusPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const headers = { 'X-Applicant-Token': token };
  const application = useQuery({
    queryKey: ['applications', 'applicant', id],
    queryFn: () => api.get<Application>(`/applications/${encodeURIComponent(id)}`, { auth: false, headers }),
    enabled: !!token,
    // Live while the process runs; quiet once it has ended.
    refetchInterval: (q) => (q.state.data && FINAL_STATUSES.includes(q.state.data.status) ? false : 3000),
  });
  useEffect(() => {
    document.title = 'Your application · Wholesail';
  }, []);

  return (
    <PublicLayout>
      <div className="card">
        <h1>Your application</h1>
        {!token ? (
          <ErrorState title="This link is incomplete" error={new Error('Open the link from your e-mail: it carries the key to your application.')} />
        ) : application.isPending ? (
          <Loading label="Loading your application…" />
        ) : application.isError ? (
          <ErrorState error={application.error} onRetry={() => void application.refetch()} />
        ) : (
          <>
            <ApplicationSummary application={application.data} />
            {application.data.status === 'active' && (
              <p className="notice notice--success">
                Welcome aboard! We have e-mailed {application.data.email} a link to choose your password. Then <Link to="/login">sign in</Link>.
              </p>
            )}
            {application.data.status === 'changes-requested' && <Resubmit application={application.data} headers={headers} />}
            {WITHDRAWABLE_STATUSES.includes(application.data.status) && <Withdraw id={id} headers={headers} />}
          </>
        )}
      </div>
    </PublicLayout>
  );
}

const RESUBMIT_FIELDS = ['name', 'contactName', 'email', 'taxId', 'billingEmail', 'comment', 'body'];

function Resubmit({ application, headers }: { application: Application; headers: Record<string, string> }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const resubmit = useMutation({
    mutationFn: (body: Record<string, string>) => api.post(`/applications/${application.id}/resubmissions`, body, { auth: false, headers }),
    onSuccess: () => {
      notify('Corrections sent: we are checking your application again.');
      void queryClient.invalidateQueries({ queryKey: ['applications'] });
    },
  });
  const errors = fieldErrors(resubmit.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = formValues(event.currentTarget);
    const current: Record<string, string> = {
      name: application.name,
      contactName: application.contactName,
      email: application.email,
      taxId: application.taxId,
    };
    // Only what changed, plus the note.
    resubmit.mutate(Object.fromEntries(Object.entries(values).filter(([key, value]) => key === 'comment' || current[key] !== value)));
  };
  return (
    <section aria-labelledby="resubmit-heading" className="section">
      <h2 id="resubmit-heading">Send corrections</h2>
      <p>The approvers asked for changes (their note is in the e-mail we sent you). Correct what they asked and send it back.</p>
      <form onSubmit={submit} noValidate>
        <FormError error={resubmit.error} fields={RESUBMIT_FIELDS} />
        <TextField label="Company name" name="name" defaultValue={application.name} error={errors.name} />
        <TextField label="Your name" name="contactName" defaultValue={application.contactName} error={errors.contactName} />
        <TextField label="Your e-mail" name="email" type="email" defaultValue={application.email} error={errors.email} />
        <TextField label="Tax ID" name="taxId" defaultValue={application.taxId} error={errors.taxId} />
        <TextArea label="Note for the approvers" name="comment" rows={3} error={errors.comment ?? errors.body} />
        <button type="submit" className="button button--primary" disabled={resubmit.isPending}>
          {resubmit.isPending ? 'Sending…' : 'Send corrections'}
        </button>
      </form>
    </section>
  );
}

function Withdraw({ id, headers }: { id: string; headers: Record<string, string> }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const notify = useToast();
  const withdraw = useMutation({
    mutationFn: (body: { reason?: string }) => api.post(`/applications/${id}/withdrawals`, body, { auth: false, headers }),
    onSuccess: () => {
      notify('Your application is withdrawn.');
      setOpen(false);
      void queryClient.invalidateQueries({ queryKey: ['applications'] });
    },
  });
  const errors = fieldErrors(withdraw.error);
  if (!open)
    return (
      <div className="section">
        <button type="button" className="button button--danger" onClick={() => setOpen(true)}>
          Withdraw my application…
        </button>
      </div>
    );
  return (
    <section aria-labelledby="withdraw-heading" className="section">
      <h2 id="withdraw-heading">Withdraw your application</h2>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const { reason } = formValues(event.currentTarget);
          withdraw.mutate(reason ? { reason } : {});
        }}
      >
        <FormError error={withdraw.error} fields={['reason']} />
        <TextArea label="Why (optional)" name="reason" rows={3} maxLength={2000} error={errors.reason} autoFocus />
        <FormActions
          onCancel={() => setOpen(false)}
          cancelLabel="Keep my application"
          submitLabel="Withdraw"
          pendingLabel="Withdrawing…"
          pending={withdraw.isPending}
          danger
        />
      </form>
    </section>
  );
}
