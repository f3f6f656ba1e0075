/**
 * The organisation's contacts and, for a reseller, its brand. Saving applies the brand at once
 * (the branding query is refreshed), for the reseller's users and its clients'.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { PartyDetail } from '../../api/types';
import { getSession } from '../../auth/session';
import { brandingQueryKey } from '../../branding/branding';
import { AA, contrastRatio, parseHex } from '../../branding/contrast';
import { fieldErrors, FormError, formValues, TextField } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/states';
import { useToast } from '../../ui/toast';

const FIELDS = ['billingEmail', 'notificationEmail', 'branding', 'branding.logoUrl', 'branding.primaryColor', 'branding.accentColor'];

export default function SettingsPage() {
  const partyId = getSession()?.principal.partyId ?? '';
  const party = useQuery({ queryKey: ['parties', 'detail', partyId], queryFn: () => api.get<PartyDetail>(`/parties/${partyId}`) });
  return (
    <>
      <PageHeader title="Settings" description="Your organisation’s contacts and brand." />
      <QueryState query={party} loadingLabel="Loading your settings…">
        {(p) => <SettingsForm key={p.id} party={p} />}
      </QueryState>
    </>
  );
}

function SettingsForm({ party }: { party: PartyDetail }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const [primary, setPrimary] = useState(party.branding?.primaryColor ?? '');
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.patch<PartyDetail>(`/parties/${party.id}`, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(['parties', 'detail', party.id], updated);
      void queryClient.invalidateQueries({ queryKey: brandingQueryKey });
      void queryClient.invalidateQueries({ queryKey: ['parties'] });
      notify('Settings saved');
    },
  });
  const errors = fieldErrors(save.error);
  const isReseller = party.kind === 'reseller';
  const primaryRgb = parseHex(primary);
  const weak = primaryRgb && contrastRatio(primaryRgb, [255, 255, 255]) < AA;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const v = formValues(event.currentTarget);
    // The billing contact cannot be removed, only changed; the notification one can.
    const body: Record<string, unknown> = { ...(v.billingEmail ? { billingEmail: v.billingEmail } : {}), notificationEmail: v.notificationEmail ?? null };
    // An emptied brand field removes it.
    if (isReseller) body.branding = { logoUrl: v.logoUrl ?? null, primaryColor: v.primaryColor ?? null, accentColor: v.accentColor ?? null };
    save.mutate(body);
  };

  return (
    <form onSubmit={submit} noValidate className="card">
      <FormError error={save.error} fields={FIELDS} />
      <fieldset>
        <legend>Contacts</legend>
        <TextField
          label="Billing e-mail"
          name="billingEmail"
          type="email"
          defaultValue={party.billingEmail ?? ''}
          error={errors.billingEmail}
          hint="Invoices and statements go here."
        />
        <TextField
          label="Notification e-mail (optional)"
          name="notificationEmail"
          type="email"
          defaultValue={party.notificationEmail ?? ''}
          error={errors.notificationEmail}
          hint="Approvals and reminders go here."
        />
      </fieldset>
      {isReseller && (
        <fieldset>
          <legend>Brand</legend>
          <p className="field-hint">Your users and your clients see your logo and colours in the portal; your documents carry them too.</p>
          {errors.branding && <p className="field-error">{errors.branding}</p>}
          <TextField
            label="Logo URL"
            name="logoUrl"
            type="url"
            defaultValue={party.branding?.logoUrl ?? ''}
            error={errors['branding.logoUrl']}
            placeholder="https://"
          />
          <div className="row">
            <TextField
              label="Primary colour"
              name="primaryColor"
              value={primary}
              onChange={(e) => setPrimary(e.target.value)}
              error={errors['branding.primaryColor']}
              placeholder="#0b5cab"
              hint={weak ? 'Light on white: the portal darkens it where text needs contrast.' : 'A colour like #0b5cab.'}
            />
            <TextField
              label="Accent colour"
              name="accentColor"
              defaultValue={party.branding?.accentColor ?? ''}
              error={errors['branding.accentColor']}
              placeholder="#f59e0b"
            />
          </div>
          {primaryRgb && <div className="swatch" style={{ background: primary }} aria-hidden="true" />}
        </fieldset>
      )}
      <button type="submit" className="button button--primary" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save settings'}
      </button>
    </form>
  );
}
