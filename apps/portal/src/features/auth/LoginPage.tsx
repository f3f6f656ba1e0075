import { useMutation } from '@tanstack/react-query';
import { useEffect, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { TokenView } from '../../api/types';
import { sessionEnd, startSession, useSession } from '../../auth/session';
import { homePath } from '../../app/pages';
import { fieldErrors, FormError, formValues, TextField } from '../../ui/forms';
import { PublicLayout } from '../../shell/PublicLayout';

const FIELDS = ['email', 'password'];

export default function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');
  const login = useMutation({
    mutationFn: (body: Record<string, string>) => api.post<TokenView>('/auth/login', body, { auth: false }),
    onSuccess: (token) => {
      startSession(token.accessToken, token.expiresIn, token.principal);
      // Only a path inside the portal: never an open redirect.
      void navigate(next?.startsWith('/') && !next.startsWith('//') ? next : homePath(token.principal.roles), { replace: true });
    },
  });
  useEffect(() => {
    document.title = 'Sign in · Wholesail';
  }, []);

  if (session && !login.isSuccess) return <Navigate to={homePath(session.principal.roles)} replace />;
  const errors = fieldErrors(login.error);
  const ended = sessionEnd();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = formValues(event.currentTarget);
    login.mutate({ email: values.email ?? '', password: values.password ?? '' });
  };

  return (
    <PublicLayout>
      <div className="card narrow">
        <h1>Sign in</h1>
        {ended === 'expired' && (
          <p className="notice" role="status">
            Your session has expired. Please sign in again.
          </p>
        )}
        <form onSubmit={submit} noValidate aria-describedby="login-error">
          <div id="login-error">
            <FormError error={login.error} fields={FIELDS} />
          </div>
          <TextField label="E-mail" name="email" type="email" autoComplete="username" required error={errors.email} autoFocus />
          <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={errors.password} />
          <button type="submit" className="button button--primary" disabled={login.isPending}>
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="muted">
          Not a partner yet? <Link to="/apply">Apply to join the channel</Link>.
        </p>
      </div>
    </PublicLayout>
  );
}
