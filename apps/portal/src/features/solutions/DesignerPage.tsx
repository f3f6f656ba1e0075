/**
 * The solution designer: a palette of what the catalog allows in designs, the canvas, and a side
 * panel for the selected component. As the architect draws, the design is checked and quoted by the
 * API (POST /solutions/{id}/checks, debounced; nothing is saved) and the problems appear on the
 * components and fields they name, beside the live monthly quote. Saving makes the next version;
 * it may be submitted for approval at once.
 *
 * This page is its own chunk (pages.ts), so React Flow loads only when the designer opens.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { useMemo, useReducer, useState, type Dispatch, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api, errorMessage, type FieldProblem } from '../../api/client';
import type { CatalogItem, DesignCheck, DesignVersion, DesignVersionSummary, SavedVersion, Solution, Submission } from '../../api/types';
import { getSession } from '../../auth/session';
import { Dialog } from '../../ui/Dialog';
import { formatDateTime, formatMoney, humanize } from '../../ui/format';
import { TextArea } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorState, Loading } from '../../ui/states';
import { useDebounced } from '../../ui/useDebounced';
import { useIdempotencyKey } from '../../ui/useIdempotencyKey';
import { useToast } from '../../ui/toast';
import { QuoteTable } from '../pricing/QuoteTable';
import { ComponentPanel } from './designer/ComponentPanel';
import { DesignCanvas, DRAG_TYPE, type DraggedComponent } from './designer/DesignCanvas';
import {
  amountsByComponent,
  componentAt,
  componentLabel,
  draftOf,
  findComponent,
  namesComponent,
  parseKey,
  placeProblems,
  toApiGraph,
  type ComponentKey,
  type DraftGraph,
  type PlacedProblem,
  type TemplateChoice,
} from './designer/design-model';
import { designerReducer, initialState, type DesignerAction } from './designer/designer-state';
import { DesignerViewContext, fieldLabel, type DesignOffer } from './designer/designer-view';
import { followSubmission, useDesignItems, useSolution, useVersion, useVersions } from './solution-queries';
import { maySubmit } from './solution-status';

const WRITERS = ['architect', 'reseller-admin'];

export default function DesignerPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const solution = useSolution(id);
  const versions = useVersions(id);
  const items = useDesignItems();
  const asked = Number(params.get('version')) || null;
  const versionNo = asked ?? versions.data?.items[0]?.version ?? null;
  const version = useVersion(id, versionNo);
  const failed = [solution, versions, items, version].find((q) => q.isError);
  if (failed) return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} title="The designer could not be opened" />;
  if (!solution.data || !versions.data || !items.data || (versionNo && !version.data)) return <Loading label="Opening the designer…" />;
  return (
    <ReactFlowProvider>
      <Designer
        key={`${id}:${versionNo ?? 0}`}
        solution={solution.data}
        versions={versions.data.items}
        basedOn={versionNo ? (version.data ?? null) : null}
        offer={items.data}
        onOpenVersion={(n) => setParams({ version: String(n) })}
      />
    </ReactFlowProvider>
  );
}

function Designer({
  solution,
  versions,
  basedOn,
  offer,
  onOpenVersion,
}: {
  solution: Solution;
  versions: DesignVersionSummary[];
  basedOn: DesignVersion | null;
  offer: DesignOffer;
  onOpenVersion: (version: number) => void;
}) {
  const [state, dispatch] = useReducer(designerReducer, draftOf(basedOn?.graph), initialState);
  const [saving, setSaving] = useState(false);
  const [saveProblems, setSaveProblems] = useState<{ body: string; problems: FieldProblem[] } | null>(null);
  const readOnly = !(getSession()?.principal.roles ?? []).some((r) => WRITERS.includes(r));
  const body = useMemo(() => JSON.stringify(toApiGraph(state.graph)), [state.graph]);
  const baseline = useMemo(() => JSON.stringify(toApiGraph(draftOf(basedOn?.graph))), [basedOn]);
  const settled = useDebounced(body, 350);
  const check = useQuery({
    queryKey: ['solutions', 'check', solution.id, settled],
    queryFn: ({ signal }) => api.post<DesignCheck>(`/solutions/${encodeURIComponent(solution.id)}/checks`, { graph: JSON.parse(settled) }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    enabled: !readOnly || getSession()?.principal.roles.includes('operator-admin') === true,
  });
  const checking = check.isFetching || settled !== body;
  const placed = useMemo(() => {
    const problems = [...(check.data?.problems ?? []), ...(saveProblems?.body === body ? saveProblems.problems : [])];
    // A problem about a component removed since the check was asked is stale: leave it out.
    return placeProblems(state.graph, problems).filter((p) => p.key || !namesComponent(p.path));
  }, [check.data, saveProblems, body, state.graph]);
  const amounts = useMemo(() => amountsByComponent(check.data?.quote?.lines ?? []), [check.data]);
  const view = useMemo(
    () => ({ graph: state.graph, placed, amounts, currency: check.data?.quote?.currency ?? 'EUR' }),
    [state.graph, placed, amounts, check.data],
  );
  const selected = (state.nodes.find((n) => n.selected)?.id ?? null) as ComponentKey | null;

  return (
    <DesignerViewContext.Provider value={view}>
      <PageHeader
        title={`Design: ${solution.name}`}
        description={
          <>
            For {solution.clientName} · {basedOn ? `starting from version ${basedOn.version} (${humanize(basedOn.status).toLowerCase()})` : 'a new design'} ·{' '}
            <span className={`badge badge--${solution.status}`}>{humanize(solution.status)}</span> ·{' '}
            <Link to={`/solutions/${solution.id}`}>Back to the solution</Link>
          </>
        }
        actions={
          !readOnly && (
            <button type="button" className="button button--primary" onClick={() => setSaving(true)}>
              Save version…
            </button>
          )
        }
      />
      {solution.status === 'changes-requested' && solution.changesRequested && (
        <div className="notice notice--warning" role="note">
          <p>
            <strong>Changes requested</strong> by {solution.changesRequested.byEmail ?? solution.changesRequested.stepKey},{' '}
            {formatDateTime(solution.changesRequested.at)}: “{solution.changesRequested.comment}”. Submit a new version by{' '}
            {formatDateTime(solution.changesRequested.respondBy)}.
          </p>
        </div>
      )}
      <div className="designer-toolbar">
        {versions.length > 0 && (
          <label>
            Start from version
            <select value={basedOn?.version ?? ''} onChange={(e) => onOpenVersion(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version} — {humanize(v.status).toLowerCase()}
                  {v.note ? `: ${v.note}` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <p className="small muted" role="status">
          {body === baseline ? 'No unsaved changes.' : 'Unsaved changes.'}
        </p>
      </div>
      <div className={`designer${readOnly ? ' designer--read-only' : ''}`}>
        {!readOnly && (
          <Palette offer={offer} dispatch={dispatch} selectedVm={selected && parseKey(selected)?.kind === 'vms' ? parseKey(selected)!.id : undefined} />
        )}
        <DesignCanvas state={state} dispatch={dispatch} readOnly={readOnly} />
        <ComponentPanel
          selected={selected}
          graph={state.graph}
          placed={placed}
          offer={offer}
          dispatch={dispatch}
          focusOnOpen={state.added !== null && state.added === selected}
          readOnly={readOnly}
        />
      </div>
      <div className="designer-results">
        <CheckSummary check={check.data} error={check.error} checking={checking} placed={placed} graph={view.graph} dispatch={dispatch} />
        <QuoteSummary check={check.data} graph={view.graph} />
      </div>
      {saving && (
        <SaveDialog solution={solution} graphBody={body} onClose={() => setSaving(false)} onRefused={(problems) => setSaveProblems({ body, problems })} />
      )}
    </DesignerViewContext.Provider>
  );
}

function templateChoice(template: CatalogItem, licences: CatalogItem[]): TemplateChoice {
  const design = template.design?.role === 'vm-template' ? template.design : null;
  const licence = design?.licenceRequired ? licences.find((l) => l.design?.role === 'os-licence' && l.design.os === design.os)?.sku : null;
  return { sku: template.sku, licence };
}

function Palette({ offer, dispatch, selectedVm }: { offer: DesignOffer; dispatch: Dispatch<DesignerAction>; selectedVm?: string }) {
  const entries: { label: string; item: DraggedComponent }[] = [
    ...offer.templates.map((t) => ({ label: `VM (${t.name})`, item: { kind: 'vms' as const, template: templateChoice(t, offer.licences) } })),
    { label: 'Network', item: { kind: 'networks' } },
    { label: 'Volume', item: { kind: 'volumes' } },
    { label: 'Public IP', item: { kind: 'publicIps' } },
  ];
  return (
    <section className="designer-palette" aria-labelledby="palette-heading">
      <h2 id="palette-heading">Palette</h2>
      <p id="palette-hint" className="small muted">
        Drag onto the canvas, or press to add. A volume or public IP goes to the selected VM.
      </p>
      <ul className="plain-list">
        {entries.map(({ label, item }) => (
          <li key={label}>
            <button
              type="button"
              className={`palette-item palette-item--${item.kind}`}
              draggable
              aria-describedby="palette-hint"
              onDragStart={(event) => {
                event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(item));
                event.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => dispatch({ type: 'add', kind: item.kind, template: item.template, vm: selectedVm })}
            >
              Add {label}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CheckSummary({
  check,
  error,
  checking,
  placed,
  graph,
  dispatch,
}: {
  check: DesignCheck | undefined;
  error: unknown;
  checking: boolean;
  placed: PlacedProblem[];
  graph: DraftGraph;
  dispatch: Dispatch<DesignerAction>;
}) {
  const status = checking
    ? 'Checking the design…'
    : error
      ? `The design could not be checked: ${errorMessage(error)}`
      : !check
        ? ''
        : placed.length === 0
          ? 'No problems: this design can be submitted.'
          : `${placed.length} ${placed.length === 1 ? 'problem' : 'problems'} to solve before submitting.`;
  return (
    <section className="designer-check" aria-labelledby="problems-heading">
      <h2 id="problems-heading">Validation</h2>
      <p role="status" className={placed.length === 0 && !checking && check ? 'check-ok' : undefined}>
        {status}
      </p>
      {placed.length > 0 && (
        <ul className="problem-list" aria-label="Problems">
          {placed.map((p) => {
            const parsed = p.key ? parseKey(p.key) : null;
            const component = parsed ? findComponent(graph, parsed.kind, parsed.id) : undefined;
            return (
              <li key={`${p.path}:${p.problem}`}>
                {component && p.key ? (
                  <button type="button" className="button button--link" onClick={() => dispatch({ type: 'select', key: p.key })}>
                    {componentLabel(component)}
                    {p.field ? ` · ${fieldLabel(p.field)}` : ''}
                  </button>
                ) : (
                  <strong className="mono">{p.path}</strong>
                )}{' '}
                {p.problem}
              </li>
            );
          })}
        </ul>
      )}
      {check?.totals && (
        <dl className="meta">
          <div>
            <dt>VMs</dt>
            <dd>{check.totals.vms}</dd>
          </div>
          <div>
            <dt>vCPUs</dt>
            <dd>{check.totals.vcpus}</dd>
          </div>
          <div>
            <dt>RAM</dt>
            <dd>{check.totals.ramGb} GB</dd>
          </div>
          <div>
            <dt>Storage</dt>
            <dd>{check.totals.storageGb} GB</dd>
          </div>
          <div>
            <dt>Public IPs</dt>
            <dd>{check.totals.publicIps}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

function QuoteSummary({ check, graph }: { check: DesignCheck | undefined; graph: DraftGraph }) {
  const quote = check?.quote;
  const describe = (ref: string | null) => {
    const at = ref ? componentAt(graph, ref) : null;
    return at ? componentLabel(at.component) : (ref ?? '');
  };
  return (
    <section className="designer-quote" aria-labelledby="quote-heading">
      <h2 id="quote-heading">Monthly quote</h2>
      <p className="quote-total" role="status">
        {quote ? (
          <>
            <strong>{formatMoney(quote.monthlyTotal, quote.currency)}</strong> a month for the client
            {quote.own && <> · your margin {formatMoney(quote.own.marginTotal, quote.currency)}</>}
          </>
        ) : check?.quoteError ? (
          `Cannot be priced: ${check.quoteError.message}`
        ) : (
          'Nothing to price yet.'
        )}
      </p>
      {check && check.unpriced.length > 0 && <p className="small muted">Not priced: {check.unpriced.join(', ')}.</p>}
      {quote && quote.lines.length > 0 && (
        <details>
          <summary>Lines of the quote</summary>
          <QuoteTable quote={quote} caption="Monthly quote, line by line" live={false} describe={(line) => describe(line.ref)} />
        </details>
      )}
    </section>
  );
}

function SaveDialog({
  solution,
  graphBody,
  onClose,
  onRefused,
}: {
  solution: Solution;
  graphBody: string;
  onClose: () => void;
  onRefused: (problems: FieldProblem[]) => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const notify = useToast();
  const [submitToo, setSubmitToo] = useState(maySubmit(solution.status));
  const idempotencyKey = useIdempotencyKey();
  const save = useMutation({
    mutationFn: async (input: { note?: string; submit: boolean }) => {
      const base = `/solutions/${encodeURIComponent(solution.id)}`;
      const key = idempotencyKey({ graphBody, note: input.note });
      const saved = await api.post<SavedVersion>(
        `${base}/versions`,
        { graph: JSON.parse(graphBody), ...(input.note ? { note: input.note } : {}) },
        { headers: { 'Idempotency-Key': key } },
      );
      if (!input.submit) return { saved, submitError: null };
      try {
        const submission = await api.post<Submission>(`${base}/versions/${saved.version}/submissions`, {}, { headers: { 'Idempotency-Key': `${key}:submit` } });
        followSubmission(queryClient, submission);
        return { saved, submitError: null };
      } catch (error) {
        return { saved, submitError: error };
      }
    },
    onSuccess: ({ saved, submitError }, input) => {
      void queryClient.invalidateQueries({ queryKey: ['solutions'] });
      if (submitError) {
        if (submitError instanceof ApiError) onRefused(submitError.fields);
        return;
      }
      notify(input.submit ? `Version ${saved.version} saved and submitted for approval` : `Version ${saved.version} saved`);
      onClose();
      void navigate(`/solutions/${solution.id}`);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.fields.length > 0) onRefused(error.fields);
    },
  });
  const submitError = save.data?.submitError;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') ?? '').trim();
    save.mutate({ note: note || undefined, submit: submitToo });
  };
  const refusal = save.error ?? submitError;
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Save a new version"
      description="Versions never change once saved; the solution page lists them all."
    >
      <form onSubmit={submit} noValidate>
        {refusal != null && (
          <div className="form-error" role="alert">
            <p>
              {save.data ? `Version ${save.data.saved.version} is saved, but it cannot be submitted: ` : 'The version was not saved: '}
              {errorMessage(refusal)}
            </p>
            {refusal instanceof ApiError && refusal.fields.length > 0 && <p>The problems are shown on the canvas, by the components they name.</p>}
          </div>
        )}
        <TextArea label="What changed (optional)" name="note" rows={3} maxLength={2000} autoFocus />
        {maySubmit(solution.status) && (
          <label className="check">
            <input type="checkbox" checked={submitToo} onChange={(e) => setSubmitToo(e.target.checked)} />
            Submit it for approval now
          </label>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            {save.data ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="button button--primary" disabled={save.isPending || !!save.data}>
            {save.isPending ? 'Saving…' : submitToo ? 'Save and submit' : 'Save version'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
