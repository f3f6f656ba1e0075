/** The welcome e-mail's link: the new admin chooses a password, then signs in. */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { InvitationView } from '../../api/types';
import { fieldErrors, FormError, formValues, TextField } from '../../ui/forms';
import { PublicLayout } from '../../shell/PublicLayout';
import { ErrorState, Loading } from '../../ui/states';

export default function InvitationPage() {
  const { token = '' } = useParams();
  const path = `/invitations/${encodeURIComponent(token)}`;
  const invitation = useQuery({ queryKey: ['invitation', token], queryFn: () => api.get<InvitationView>(path, { auth: false }), retry: false });
  const [mismatch, setMismatch] = useState(false);
  const accept = useMutation({ mutationFn: (password: string) => api.post<{ email: string }>(path, { password }, { auth: false }) });
  useEffect(() => {
    document.title = 'Your invitation · Wholesail';
  }, []);
  const errors = fieldErrors(accept.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { password = '', confirm = '' } = formValues(event.currentTarget);
    setMismatch(password !== confirm);
    if (password === confirm) accept.mutate(password);
  };

  return (
    <PublicLayout>
      <div className="card narrow">
        <h1>Welcome to Wholesail</h1>
        {accept.isSuccess ? (
          <div className="notice notice--success" role="status">
            <p>Your password is set.</p>
            <p>
              <Link className="button button--primary" to="/login">
                Sign in as {accept.data.email}
              </Link>
            </p>
          </div>
        ) : invitation.isPending ? (
          <Loading label="Checking your invitation…" />
        ) : invitation.isError ? (
          <ErrorState title="This invitation cannot be used" error={invitation.error} />
        ) : (
          <>
            <p>
              Choose a password for <strong>{invitation.data.email}</strong> ({invitation.data.partyName}).
            </p>
            <form onSubmit={submit} noValidate>
              <FormError error={accept.error} fields={['password']} />
              <input type="email" name="username" value={invitation.data.email} autoComplete="username" readOnly hidden />
              <TextField
                label="New password"
                name="password"
                type="password"
                autoComplete="new-password"
                required
                minLength={10}
                hint="At least 10 characters."
                error={errors.password}
                autoFocus
              />
              <TextField
                label="Repeat the password"
                name="confirm"
                type="password"
                autoComplete="new-password"
                required
                error={mismatch ? 'does not match the password above' : undefined}
              />
              <button type="submit" className="button button--primary" disabled={accept.isPending}>
                {accept.isPending ? 'Saving…' : 'Set password'}
              </button>
            </form>
          </>
        )}
      </div>
    </PublicLayout>
  );
}
