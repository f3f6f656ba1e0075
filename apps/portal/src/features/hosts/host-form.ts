/**
 * The register-a-host form as the API's body: capacity nested, tags split, the connection fields of
 * the chosen kind only. Numbers typed as whole numbers go as numbers; anything else goes as typed, so
 * the API's own problem ("capacity.vcpu must be …") appears by the field.
 */
import type { FieldErrors } from '../../ui/forms';

export type HostKind = 'vsphere' | 'libvirt';

const CONNECTION: Record<HostKind, readonly string[]> = {
  vsphere: ['sdkUrl', 'username', 'password', 'datacenter', 'cluster', 'datastore', 'network', 'caCertificate'],
  libvirt: ['uri', 'network'],
};

export const HOST_FIELDS = [
  'name',
  'kind',
  'capacity',
  'capacity.vcpu',
  'capacity.ramGb',
  'capacity.storageGb',
  'tags',
  'status',
  ...new Set([...CONNECTION.vsphere, ...CONNECTION.libvirt]),
];

function number(value: string): number | string {
  return /^\d{1,12}$/.test(value) ? Number(value) : value;
}

export function hostBody(form: FormData): Record<string, unknown> {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const kind = (text('kind') || 'vsphere') as HostKind;
  const body: Record<string, unknown> = {
    name: text('name'),
    kind,
    capacity: { vcpu: number(text('capacity.vcpu')), ramGb: number(text('capacity.ramGb')), storageGb: number(text('capacity.storageGb')) },
  };
  const tags = text('tags')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length) body.tags = tags;
  if (text('status')) body.status = text('status');
  for (const field of CONNECTION[kind] ?? []) if (text(field)) body[field] = text(field);
  if (kind === 'vsphere' && form.get('insecureTls') === 'true') body.insecureTls = true;
  return body;
}

/** Problems of the tags as one message: the API names the tag at fault (`tags[1]`). */
export function tagsError(errors: FieldErrors): string | undefined {
  const found = Object.entries(errors)
    .filter(([field]) => field === 'tags' || /^tags\[\d+\]$/.test(field))
    .map(([field, problem]) => (field === 'tags' ? problem : `tag ${Number(/\d+/.exec(field)![0]) + 1} ${problem}`));
  return found.length ? found.join('; ') : undefined;
}
