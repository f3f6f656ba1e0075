/**
 * Price books: the version in force and its history, a new version with a live margin preview
 * per item (reseller and operator admins), and a sample quote for a client that shows every tier
 * the user may see (POST /quotes: cost, price and margin per tier).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api, query } from '../../api/client';
import type { CatalogItem, Page, Party, PriceBookVersion, PriceRule } from '../../api/types';
import { getSession } from '../../auth/session';
import { formatDateTime, formatMoney, humanize } from '../../ui/format';
import { fieldErrors, FormError } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, Loading, QueryState } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { defaultUpliftProblem, previewLine, type RuleChoice } from './preview';
import { QuotePreview } from './QuotePreview';
import { useNow } from '../../ui/useNow';

type Audience = PriceBookVersion['audience'];

export default function PriceBooksPage() {
  const principal = getSession()?.principal;
  const [resellerId, setResellerId] = useState(principal?.partyKind === 'reseller' ? principal.partyId : '');
  const [audience, setAudience] = useState<Audience>('clients');
  const resellers = useQuery({
    queryKey: ['parties', 'list', 'reseller', 'all'],
    queryFn: () => api.get<Page<Party>>(`/parties${query({ kind: 'reseller', pageSize: 200 })}`),
  });
  const selected = resellerId || resellers.data?.items[0]?.id || '';
  const versions = useQuery({
    queryKey: ['price-books', selected, audience],
    queryFn: () => api.get<Page<PriceBookVersion>>(`/price-books${query({ resellerId: selected, audience, pageSize: 50 })}`),
    enabled: !!selected,
  });
  const mayEdit = !!principal && (principal.roles.includes('operator-admin') || (principal.roles.includes('reseller-admin') && selected === principal.partyId));
  const now = useNow();
  const inForce = versions.data?.items.find((v) => Date.parse(v.effectiveFrom) <= now && (!v.effectiveTo || Date.parse(v.effectiveTo) > now));

  return (
    <>
      <PageHeader
        title="Price books"
        description="What you charge over your cost, per item; a new version takes effect from its date and never changes the past."
      />
      <form className="filters" aria-label="Choose a price book" onSubmit={(e) => e.preventDefault()}>
        {(resellers.data?.items.length ?? 0) > 1 && (
          <label>
            Reseller
            <select value={selected} onChange={(e) => setResellerId(e.target.value)}>
              {resellers.data?.items.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Book
          <select value={audience} onChange={(e) => setAudience(e.target.value as Audience)}>
            <option value="clients">For clients</option>
            <option value="subResellers">For sub-resellers</option>
          </select>
        </label>
      </form>
      {!selected ? (
        resellers.isPending ? (
          <Loading />
        ) : (
          <EmptyState title="No reseller to show" />
        )
      ) : (
        <QueryState query={versions} loadingLabel="Loading price books…">
          {(data) => (
            <>
              <section className="section" aria-labelledby="in-force-heading">
                <h2 id="in-force-heading">In force now</h2>
                {inForce ? (
                  <VersionSummary version={inForce} />
                ) : (
                  <EmptyState title="No version in force">Items are priced at the default uplift once you save one.</EmptyState>
                )}
              </section>
              {mayEdit && <BookEditor key={`${selected}:${audience}:${inForce?.id ?? 'none'}`} resellerId={selected} audience={audience} base={inForce} />}
              <section className="section" aria-labelledby="history-heading">
                <h2 id="history-heading">Versions</h2>
                {data.items.length === 0 ? (
                  <p className="muted">No versions yet.</p>
                ) : (
                  <div className="table-wrap">
                    <table>
                      <caption className="sr-only">Price book versions</caption>
                      <thead>
                        <tr>
                          <th scope="col">From</th>
                          <th scope="col">Until</th>
                          <th scope="col" className="num">
                            Default uplift
                          </th>
                          <th scope="col" className="num">
                            Rules
                          </th>
                          <th scope="col">By</th>
                        </tr>
                      </thead>
                      <tbody>
                        {data.items.map((v) => (
                          <tr key={v.id}>
                            <td>{formatDateTime(v.effectiveFrom)}</td>
                            <td>{v.effectiveTo ? formatDateTime(v.effectiveTo) : 'open'}</td>
                            <td className="num">{v.defaultUpliftPercent} %</td>
                            <td className="num">{v.rules.length}</td>
                            <td>{v.createdBy}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
            </>
          )}
        </QueryState>
      )}
      <QuotePreview />
    </>
  );
}

function ruleText(rule: PriceRule): string {
  switch (rule.kind) {
    case 'uplift':
      return `+${rule.upliftPercent} % over cost`;
    case 'discount':
      return `${rule.discountPercent} % off list`;
    case 'fixed':
      return `fixed ${formatMoney(rule.fixedUnitPrice ?? '0')}`;
  }
}

function VersionSummary({ version }: { version: PriceBookVersion }) {
  return (
    <div>
      <p>
        Default uplift <strong>{version.defaultUpliftPercent} %</strong> since {formatDateTime(version.effectiveFrom)}
        {version.effectiveTo ? ` until ${formatDateTime(version.effectiveTo)}` : ''}.
      </p>
      {version.rules.length > 0 && (
        <ul className="plain-list">
          {version.rules.map((r) => (
            <li key={r.sku}>
              <span className="mono">{r.sku}</span>: {ruleText(r)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function choiceOf(rule: (PriceRule & { sku: string }) | undefined): RuleChoice {
  if (!rule) return { kind: 'default' };
  return { kind: rule.kind, value: rule.upliftPercent ?? rule.discountPercent ?? rule.fixedUnitPrice ?? '' };
}

function BookEditor({ resellerId, audience, base }: { resellerId: string; audience: Audience; base: PriceBookVersion | undefined }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const principal = getSession()?.principal;
  const catalog = useQuery({
    queryKey: ['catalog', { all: true, retired: 'false' }],
    queryFn: () => api.get<Page<CatalogItem>>(`/catalog/items${query({ pageSize: 200, retired: 'false' })}`),
  });
  const [uplift, setUplift] = useState(base?.defaultUpliftPercent ?? '25');
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [choices, setChoices] = useState<Record<string, RuleChoice>>(() => Object.fromEntries((base?.rules ?? []).map((r) => [r.sku, choiceOf(r)])));
  const items = catalog.data?.items ?? [];
  const rules = useMemo(
    () =>
      Object.entries(choices)
        .filter(([, c]) => c.kind !== 'default')
        .map(([sku, c]) => ({ sku, c: c as Exclude<RuleChoice, { kind: 'default' }> })),
    [choices],
  );
  const save = useMutation({
    mutationFn: () =>
      api.post<PriceBookVersion>('/price-books', {
        ...(principal?.partyId === resellerId ? {} : { resellerId }),
        audience,
        defaultUpliftPercent: uplift.trim(),
        ...(effectiveFrom ? { effectiveFrom: new Date(effectiveFrom).toISOString() } : {}),
        rules: rules.map(({ sku, c }) => ({
          sku,
          kind: c.kind,
          ...(c.kind === 'uplift'
            ? { upliftPercent: c.value.trim() }
            : c.kind === 'discount'
              ? { discountPercent: c.value.trim() }
              : { fixedUnitPrice: c.value.trim() }),
        })),
      }),
    onSuccess: () => {
      notify('New price book version saved');
      void queryClient.invalidateQueries({ queryKey: ['price-books'] });
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
    },
  });
  const errors = fieldErrors(save.error);
  // The API names rule problems by their index in the request: back to the item's row.
  const ruleError = (sku: string): string | undefined => {
    const index = rules.findIndex((r) => r.sku === sku);
    if (index < 0) return undefined;
    const prefix = `rules[${index}]`;
    const found = Object.entries(errors).filter(([field]) => field === prefix || field.startsWith(`${prefix}.`));
    return found.length ? found.map(([, problem]) => problem).join('; ') : undefined;
  };
  const placed = ['defaultUpliftPercent', 'effectiveFrom', ...Object.keys(errors).filter((f) => /^rules\[\d+\]/.test(f) && rules[Number(/\d+/.exec(f)![0])])];
  const upliftProblem = errors.defaultUpliftPercent ?? (uplift ? defaultUpliftProblem(uplift) : 'is required') ?? undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <section className="section" aria-labelledby="editor-heading">
      <h2 id="editor-heading">New version</h2>
      <form onSubmit={submit} noValidate>
        <FormError error={save.error} fields={placed} />
        <div className="row">
          <div className={`field${upliftProblem ? ' field--invalid' : ''}`}>
            <label htmlFor="default-uplift">Default uplift %</label>
            <input
              id="default-uplift"
              name="defaultUpliftPercent"
              inputMode="decimal"
              value={uplift}
              onChange={(e) => setUplift(e.target.value)}
              aria-invalid={upliftProblem ? true : undefined}
              aria-describedby={upliftProblem ? 'default-uplift-error' : 'default-uplift-hint'}
            />
            {upliftProblem ? (
              <p id="default-uplift-error" className="field-error">
                {upliftProblem}
              </p>
            ) : (
              <p id="default-uplift-hint" className="field-hint">
                Over your cost, for items without a rule; discounts come off this list price.
              </p>
            )}
          </div>
          <div className={`field${errors.effectiveFrom ? ' field--invalid' : ''}`}>
            <label htmlFor="effective-from">Effective from (optional)</label>
            <input
              id="effective-from"
              type="datetime-local"
              value={effectiveFrom}
              onChange={(e) => setEffectiveFrom(e.target.value)}
              aria-invalid={errors.effectiveFrom ? true : undefined}
              aria-describedby={errors.effectiveFrom ? 'effective-from-error' : 'effective-from-hint'}
            />
            {errors.effectiveFrom ? (
              <p id="effective-from-error" className="field-error">
                {errors.effectiveFrom}
              </p>
            ) : (
              <p id="effective-from-hint" className="field-hint">
                Now when empty; never in the past.
              </p>
            )}
          </div>
        </div>
        {catalog.isPending ? (
          <Loading label="Loading the catalog…" />
        ) : (
          <div className="table-wrap">
            <table className="editor-table">
              <caption>
                Live margin preview per unit per month
                {principal?.partyKind === 'operator' ? ' (cost shown: the wholesale price a top-level reseller pays)' : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                  <th scope="col">Rule</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col" className="num">
                    Margin
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => {
                  const cost = item.yourPrices?.unitCost ?? item.wholesalePrice?.unitPrice ?? null;
                  const currency = item.yourPrices?.currency ?? item.wholesalePrice?.currency ?? 'EUR';
                  const choice = choices[item.sku] ?? { kind: 'default' };
                  const line = previewLine(cost, currency, choice, uplift);
                  const problem = ruleError(item.sku) ?? (choice.kind !== 'default' ? (line.problem ?? undefined) : undefined);
                  const set = (next: RuleChoice) => setChoices((all) => ({ ...all, [item.sku]: next }));
                  const rowId = `rule-${item.sku.replace(/[^A-Za-z0-9_-]/g, '_')}`;
                  return (
                    <tr key={item.sku} className={line.belowCost ? 'row--warning' : undefined}>
                      <th scope="row">
                        <span className="mono">{item.sku}</span>
                        <div className="small muted">{item.name}</div>
                      </th>
                      <td className="num">{cost ? formatMoney(cost, currency) : '—'}</td>
                      <td>
                        <div className="rule-inputs">
                          <select
                            aria-label={`Rule for ${item.sku}`}
                            value={choice.kind}
                            onChange={(e) =>
                              set(
                                e.target.value === 'default'
                                  ? { kind: 'default' }
                                  : { kind: e.target.value as 'uplift', value: choice.kind === 'default' ? '' : choice.value },
                              )
                            }
                          >
                            <option value="default">Default uplift</option>
                            <option value="uplift">Uplift %</option>
                            <option value="discount">Discount % off list</option>
                            <option value="fixed">Fixed price</option>
                          </select>
                          {choice.kind !== 'default' && (
                            <input
                              aria-label={`${humanize(choice.kind)} value for ${item.sku}`}
                              inputMode="decimal"
                              value={choice.value}
                              onChange={(e) => set({ kind: choice.kind, value: e.target.value })}
                              aria-invalid={problem ? true : undefined}
                              aria-describedby={problem ? `${rowId}-error` : undefined}
                            />
                          )}
                        </div>
                        {problem && (
                          <p id={`${rowId}-error`} className="field-error">
                            {problem}
                          </p>
                        )}
                      </td>
                      <td className="num">{line.price ? formatMoney(line.price, currency) : '—'}</td>
                      <td className="num">
                        {line.margin ? (
                          <>
                            {formatMoney(line.margin, currency)}
                            {line.marginPercent && <span className="small muted"> ({line.marginPercent} %)</span>}
                            {line.belowCost && <span className="badge badge--danger">Below cost</span>}
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save new version'}
        </button>
      </form>
    </section>
  );
}
