/**
 * The side panel: the selected component's fields, each with the live check's problem by it, and
 * its links as checkboxes and lists (the keyboard's way to connect what the mouse connects by
 * dragging between handles).
 */
import { useId, type Dispatch } from 'react';
import { SelectField, TextField } from '../../../ui/forms';
import {
  componentLabel,
  fieldProblem,
  findComponent,
  KIND_NOUN,
  parseKey,
  problemsOf,
  type ComponentKey,
  type DraftComponent,
  type DraftGraph,
  type DraftNetwork,
  type DraftPublicIp,
  type DraftVm,
  type DraftVolume,
  type PlacedProblem,
} from './design-model';
import type { DesignerAction } from './designer-state';
import { fieldLabel, type DesignOffer } from './designer-view';

const SHOWN: Record<string, readonly string[]> = {
  vms: ['name', 'template', 'vcpus', 'ramGb', 'diskGb', 'osLicence', 'networks'],
  networks: ['name', 'cidr'],
  volumes: ['name', 'sizeGb', 'vm'],
  publicIps: ['name', 'vm'],
};

export function ComponentPanel({
  selected,
  graph,
  placed,
  offer,
  dispatch,
  focusOnOpen,
  readOnly,
}: {
  selected: ComponentKey | null;
  graph: DraftGraph;
  placed: PlacedProblem[];
  offer: DesignOffer;
  dispatch: Dispatch<DesignerAction>;
  focusOnOpen: boolean;
  readOnly: boolean;
}) {
  const parsed = selected ? parseKey(selected) : null;
  const component = parsed ? findComponent(graph, parsed.kind, parsed.id) : undefined;
  if (!parsed || !component || !selected) {
    return (
      <aside className="designer-panel" aria-labelledby="panel-heading">
        <h2 id="panel-heading">Selected component</h2>
        <p className="muted">Nothing is selected. Add a component from the palette, or select one on the canvas (Tab to it, then Enter) to edit it here.</p>
      </aside>
    );
  }
  const update = (change: Partial<DraftComponent>) => dispatch({ type: 'update', kind: parsed.kind, id: parsed.id, change });
  const error = (field: string) => fieldProblem(placed, selected, field);
  const other = problemsOf(placed, selected).filter((p) => !p.field || !SHOWN[parsed.kind].includes(p.field));
  const noun = KIND_NOUN[parsed.kind];
  const common = { disabled: readOnly };
  return (
    <aside className="designer-panel" aria-labelledby="panel-heading">
      <h2 id="panel-heading">
        {noun.charAt(0).toUpperCase() + noun.slice(1)}: {componentLabel(component)}
      </h2>
      <p className="small muted">
        Id <span className="mono">{component.id}</span>
      </p>
      {other.length > 0 && (
        <ul className="form-error" aria-label={`Problems of ${componentLabel(component)}`}>
          {other.map((p) => (
            <li key={`${p.path}:${p.problem}`}>
              {p.field && <strong>{fieldLabel(p.field)}: </strong>}
              {p.problem}
            </li>
          ))}
        </ul>
      )}
      <form key={selected} onSubmit={(e) => e.preventDefault()} aria-label={`Edit ${noun} ${componentLabel(component)}`}>
        <TextField
          label="Name"
          name="name"
          value={component.name ?? ''}
          onChange={(e) => update({ name: e.target.value })}
          error={error('name')}
          autoFocus={focusOnOpen}
          maxLength={100}
          {...common}
        />
        {parsed.kind === 'vms' && <VmFields vm={component as DraftVm} graph={graph} offer={offer} update={update} error={error} readOnly={readOnly} />}
        {parsed.kind === 'networks' && (
          <NetworkFields network={component as DraftNetwork} graph={graph} update={update} error={error} dispatch={dispatch} readOnly={readOnly} />
        )}
        {parsed.kind === 'volumes' && (
          <>
            <SizeField
              label="Size (GB)"
              name="sizeGb"
              value={(component as DraftVolume).sizeGb}
              onChange={(sizeGb) => update({ sizeGb })}
              error={error('sizeGb')}
              readOnly={readOnly}
            />
            <VmChoice
              label="Attached to"
              value={(component as DraftVolume).vm}
              graph={graph}
              onChange={(vm) => update({ vm })}
              error={error('vm')}
              readOnly={readOnly}
            />
          </>
        )}
        {parsed.kind === 'publicIps' && (
          <VmChoice
            label="Mapped to VM"
            value={(component as DraftPublicIp).vm}
            graph={graph}
            onChange={(vm) => update({ vm })}
            error={error('vm')}
            readOnly={readOnly}
          />
        )}
        {!readOnly && (
          <div className="button-row">
            {parsed.kind === 'vms' && (
              <>
                <button type="button" className="button" onClick={() => dispatch({ type: 'add', kind: 'volumes', vm: parsed.id })}>
                  Add a volume<span className="sr-only"> to {componentLabel(component)}</span>
                </button>
                <button type="button" className="button" onClick={() => dispatch({ type: 'add', kind: 'publicIps', vm: parsed.id })}>
                  Add a public IP<span className="sr-only"> to {componentLabel(component)}</span>
                </button>
              </>
            )}
            <button type="button" className="button button--danger" onClick={() => dispatch({ type: 'remove', key: selected })}>
              Remove {noun}
              <span className="sr-only"> {componentLabel(component)}</span>
            </button>
          </div>
        )}
      </form>
    </aside>
  );
}

type Update = (change: Partial<DraftComponent>) => void;
type ErrorOf = (field: string) => string | undefined;

function VmFields({
  vm,
  graph,
  offer,
  update,
  error,
  readOnly,
}: {
  vm: DraftVm;
  graph: DraftGraph;
  offer: DesignOffer;
  update: Update;
  error: ErrorOf;
  readOnly: boolean;
}) {
  const networksError = error('networks');
  const errorId = useId();
  const known = offer.templates.some((t) => t.sku === vm.template);
  return (
    <>
      <SelectField
        label="Template"
        name="template"
        value={vm.template}
        onChange={(e) => update({ template: e.target.value })}
        error={error('template')}
        disabled={readOnly}
      >
        {!known && <option value={vm.template}>{vm.template || 'Choose a template'}</option>}
        {offer.templates.map((t) => (
          <option key={t.sku} value={t.sku}>
            {t.name} ({t.sku})
          </option>
        ))}
      </SelectField>
      <div className="row">
        <SizeField label="vCPUs" name="vcpus" value={vm.vcpus} onChange={(vcpus) => update({ vcpus })} error={error('vcpus')} readOnly={readOnly} />
        <SizeField label="RAM (GB)" name="ramGb" value={vm.ramGb} onChange={(ramGb) => update({ ramGb })} error={error('ramGb')} readOnly={readOnly} />
      </div>
      <SizeField label="Boot disk (GB)" name="diskGb" value={vm.diskGb} onChange={(diskGb) => update({ diskGb })} error={error('diskGb')} readOnly={readOnly} />
      <SelectField
        label="OS licence"
        name="osLicence"
        value={vm.osLicence ?? ''}
        onChange={(e) => update({ osLicence: e.target.value || null })}
        error={error('osLicence')}
        disabled={readOnly}
      >
        <option value="">None</option>
        {vm.osLicence && !offer.licences.some((l) => l.sku === vm.osLicence) && <option value={vm.osLicence}>{vm.osLicence}</option>}
        {offer.licences.map((l) => (
          <option key={l.sku} value={l.sku}>
            {l.name} ({l.sku})
          </option>
        ))}
      </SelectField>
      <fieldset
        aria-describedby={networksError ? errorId : undefined}
        aria-invalid={networksError ? true : undefined}
        className={networksError ? 'field--invalid' : undefined}
      >
        <legend>Connected networks</legend>
        {graph.networks.length === 0 && <p className="small muted">No network yet: add one from the palette.</p>}
        {graph.networks.map((network) => (
          <label key={network.id} className="check">
            <input
              type="checkbox"
              checked={vm.networks.includes(network.id)}
              disabled={readOnly}
              onChange={(e) => update({ networks: e.target.checked ? [...vm.networks, network.id] : vm.networks.filter((n) => n !== network.id) })}
            />
            {componentLabel(network)} <span className="mono small">{network.cidr}</span>
          </label>
        ))}
        {networksError && (
          <p id={errorId} className="field-error">
            {networksError}
          </p>
        )}
      </fieldset>
    </>
  );
}

function NetworkFields({
  network,
  graph,
  update,
  error,
  dispatch,
  readOnly,
}: {
  network: DraftNetwork;
  graph: DraftGraph;
  update: Update;
  error: ErrorOf;
  dispatch: Dispatch<DesignerAction>;
  readOnly: boolean;
}) {
  return (
    <>
      <TextField
        label="CIDR"
        name="cidr"
        value={network.cidr}
        onChange={(e) => update({ cidr: e.target.value })}
        error={error('cidr')}
        hint="An IPv4 range, e.g. 10.0.1.0/24."
        disabled={readOnly}
      />
      <fieldset>
        <legend>Connected VMs</legend>
        {graph.vms.length === 0 && <p className="small muted">No VM yet.</p>}
        {graph.vms.map((vm) => (
          <label key={vm.id} className="check">
            <input
              type="checkbox"
              checked={vm.networks.includes(network.id)}
              disabled={readOnly}
              onChange={(e) =>
                dispatch({
                  type: 'update',
                  kind: 'vms',
                  id: vm.id,
                  change: { networks: e.target.checked ? [...vm.networks, network.id] : vm.networks.filter((n) => n !== network.id) },
                })
              }
            />
            {componentLabel(vm)}
          </label>
        ))}
      </fieldset>
    </>
  );
}

function SizeField({
  label,
  name,
  value,
  onChange,
  error,
  readOnly,
}: {
  label: string;
  name: string;
  value: number | string;
  onChange: (value: string) => void;
  error?: string;
  readOnly: boolean;
}) {
  return (
    <TextField
      label={label}
      name={name}
      inputMode="numeric"
      value={String(value)}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      disabled={readOnly}
    />
  );
}

function VmChoice({
  label,
  value,
  graph,
  onChange,
  error,
  readOnly,
}: {
  label: string;
  value: string;
  graph: DraftGraph;
  onChange: (vm: string) => void;
  error?: string;
  readOnly: boolean;
}) {
  return (
    <SelectField label={label} name="vm" value={value} onChange={(e) => onChange(e.target.value)} error={error} disabled={readOnly}>
      <option value="">Choose a VM</option>
      {graph.vms.map((vm) => (
        <option key={vm.id} value={vm.id}>
          {componentLabel(vm)}
        </option>
      ))}
    </SelectField>
  );
}
