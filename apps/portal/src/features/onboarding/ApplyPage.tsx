/**
 * The public application form. A distributor can hand out a link with `?sponsor=<its id>` (its
 * agents and resellers) and a reseller `?parent=<its id>` (sub-resellers); the fields come filled.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { SubmittedApplication } from '../../api/types';
import { fieldErrors, FormError, formValues, SelectField, TextField } from '../../ui/forms';
import { PublicLayout } from '../../shell/PublicLayout';

type Kind = 'distributor' | 'reseller' | 'sub-reseller' | 'agent';
const FIELDS = [
  'kind',
  'name',
  'contactName',
  'email',
  'taxId',
  'billingEmail',
  'sponsorPartyId',
  'parentResellerId',
  'branding',
  'branding.logoUrl',
  'branding.primaryColor',
  'branding.accentColor',
];

export default function ApplyPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [kind, setKind] = useState<Kind>(params.get('parent') ? 'sub-reseller' : params.get('sponsor') ? 'reseller' : 'reseller');
  // One key per filled-in form: a double click or a retry replays the first answer.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  const submit = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post<SubmittedApplication>('/applications', body, { auth: false, headers: { 'Idempotency-Key': idempotencyKey } }),
    onSuccess: (result) => void navigate(`/applications/${result.applicationId}?token=${encodeURIComponent(result.applicantToken)}`),
  });
  useEffect(() => {
    document.title = 'Apply to join · Wholesail';
  }, []);
  const errors = fieldErrors(submit.error);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const v = formValues(event.currentTarget);
    const branding = { logoUrl: v.logoUrl, primaryColor: v.primaryColor, accentColor: v.accentColor };
    const hasBranding = Object.values(branding).some(Boolean);
    submit.mutate({
      kind: kind === 'sub-reseller' ? 'reseller' : kind,
      name: v.name ?? '',
      contactName: v.contactName ?? '',
      email: v.email ?? '',
      taxId: v.taxId ?? '',
      ...(v.billingEmail ? { billingEmail: v.billingEmail } : {}),
      ...(v.sponsorPartyId && kind !== 'sub-reseller' && kind !== 'distributor' ? { sponsorPartyId: v.sponsorPartyId } : {}),
      ...(v.parentResellerId && kind === 'sub-reseller' ? { parentResellerId: v.parentResellerId } : {}),
      ...(hasBranding && kind !== 'distributor' && kind !== 'agent' ? { branding: Object.fromEntries(Object.entries(branding).filter(([, x]) => x)) } : {}),
    });
  };

  return (
    <PublicLayout>
      <div className="card">
        <h1>Apply to join the channel</h1>
        <p className="muted">
          Tell us who you are. We check the details, your sponsor (if you have one) confirms, and the operator approves; we e-mail you at each step.
        </p>
        <form onSubmit={onSubmit} noValidate>
          <FormError error={submit.error} fields={FIELDS} />
          <SelectField label="I am applying as" name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)} error={errors.kind}>
            <option value="reseller">Reseller (managed service provider)</option>
            <option value="sub-reseller">Sub-reseller (under a reseller)</option>
            <option value="distributor">Distributor</option>
            <option value="agent">Agent (working for a distributor)</option>
          </SelectField>
          <TextField label="Company name" name="name" required autoComplete="organization" error={errors.name} />
          <TextField label="Your name" name="contactName" required autoComplete="name" error={errors.contactName} />
          <TextField label="Your e-mail" name="email" type="email" required autoComplete="email" error={errors.email} hint="Your sign-in once approved." />
          <TextField
            label="Tax ID (VAT number)"
            name="taxId"
            required
            error={errors.taxId}
            hint="Two-letter country code and 2–13 letters or digits, e.g. NL812345678B01."
          />
          <TextField label="Billing e-mail (optional)" name="billingEmail" type="email" error={errors.billingEmail} />
          {(kind === 'agent' || kind === 'reseller') && (
            <TextField
              label={kind === 'agent' ? 'Your distributor’s partner ID' : 'Recruiting distributor’s partner ID (optional)'}
              name="sponsorPartyId"
              required={kind === 'agent'}
              defaultValue={params.get('sponsor') ?? ''}
              error={errors.sponsorPartyId}
              hint="From the invitation link your distributor sent you."
            />
          )}
          {kind === 'sub-reseller' && (
            <TextField
              label="Parent reseller’s partner ID"
              name="parentResellerId"
              required
              defaultValue={params.get('parent') ?? ''}
              error={errors.parentResellerId}
              hint="From the invitation link your reseller sent you."
            />
          )}
          {(kind === 'reseller' || kind === 'sub-reseller') && (
            <fieldset>
              <legend>Your brand (optional)</legend>
              <p className="field-hint">Your clients see your logo and colours in the portal and on invoices.</p>
              {errors.branding && <p className="field-error">{errors.branding}</p>}
              <TextField label="Logo URL" name="logoUrl" type="url" placeholder="https://" error={errors['branding.logoUrl']} />
              <div className="row">
                <TextField label="Primary colour" name="primaryColor" placeholder="#0b5cab" error={errors['branding.primaryColor']} />
                <TextField label="Accent colour" name="accentColor" placeholder="#f59e0b" error={errors['branding.accentColor']} />
              </div>
            </fieldset>
          )}
          <button type="submit" className="button button--primary" disabled={submit.isPending}>
            {submit.isPending ? 'Sending…' : 'Submit application'}
          </button>
        </form>
      </div>
    </PublicLayout>
  );
}
