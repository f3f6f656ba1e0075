/** A sample bill of materials priced for one client, live: the client's price and each visible tier's margin. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { api, query } from '../../api/client';
import type { CatalogItem, Page, Party, Quote, QuoteTierTotal } from '../../api/types';
import { formatMoney } from '../../ui/format';
import { fieldErrors, FormError } from '../../ui/forms';
import { EmptyState, Loading } from '../../ui/states';

interface Line {
  sku: string;
  quantity: string;
}

export function QuotePreview() {
  const clients = useQuery({
    queryKey: ['parties', 'list', 'client', 'all'],
    queryFn: () => api.get<Page<Party>>(`/parties${query({ kind: 'client', pageSize: 200 })}`),
  });
  const catalog = useQuery({
    queryKey: ['catalog', { all: true, retired: 'false' }],
    queryFn: () => api.get<Page<CatalogItem>>(`/catalog/items${query({ pageSize: 200, retired: 'false' })}`),
  });
  const [clientId, setClientId] = useState('');
  const [lines, setLines] = useState<Line[] | null>(null);
  const client = clientId || clients.data?.items[0]?.id || '';
  const shownLines = lines ?? catalog.data?.items.slice(0, 2).map((i) => ({ sku: i.sku, quantity: '1' })) ?? [];
  const request = useDeferredValue({ clientId: client, lines: shownLines.filter((l) => l.sku && l.quantity.trim()) });
  const quote = useQuery({
    queryKey: ['quote', request],
    queryFn: () => api.post<Quote>('/quotes', { clientId: request.clientId, lines: request.lines.map((l) => ({ sku: l.sku, quantity: l.quantity.trim() })) }),
    enabled: !!request.clientId && request.lines.length > 0,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const errors = fieldErrors(quote.error);
  const update = (index: number, patch: Partial<Line>) => setLines(shownLines.map((l, i) => (i === index ? { ...l, ...patch } : l)));

  return (
    <section className="section" aria-labelledby="quote-heading">
      <h2 id="quote-heading">Sample quote</h2>
      <p className="muted">Price a bill of materials for one of your clients with the books in force: what the client pays and what each tier keeps.</p>
      {clients.isPending || catalog.isPending ? (
        <Loading />
      ) : (clients.data?.items.length ?? 0) === 0 ? (
        <EmptyState title="No client to quote for" />
      ) : (
        <form onSubmit={(e) => e.preventDefault()} aria-label="Sample quote">
          <div className="filters">
            <label>
              Client
              <select value={client} onChange={(e) => setClientId(e.target.value)}>
                {clients.data?.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <FormError error={quote.error} fields={shownLines.flatMap((_, i) => [`lines[${i}].sku`, `lines[${i}].quantity`])} />
          <ul className="plain-list quote-lines">
            {shownLines.map((line, index) => (
              <li key={index} className="quote-line">
                <select aria-label={`Item of line ${index + 1}`} value={line.sku} onChange={(e) => update(index, { sku: e.target.value })}>
                  {catalog.data?.items.map((item) => (
                    <option key={item.sku} value={item.sku}>
                      {item.sku} — {item.name}
                    </option>
                  ))}
                </select>
                <input
                  aria-label={`Quantity of line ${index + 1}`}
                  inputMode="decimal"
                  value={line.quantity}
                  onChange={(e) => update(index, { quantity: e.target.value })}
                  aria-invalid={errors[`lines[${index}].quantity`] ? true : undefined}
                  aria-describedby={errors[`lines[${index}].quantity`] ? `quote-line-${index}-error` : undefined}
                />
                <button type="button" className="button" onClick={() => setLines(shownLines.filter((_, i) => i !== index))}>
                  Remove<span className="sr-only"> line {index + 1}</span>
                </button>
                {errors[`lines[${index}].quantity`] && (
                  <p id={`quote-line-${index}-error`} className="field-error">
                    {errors[`lines[${index}].quantity`]}
                  </p>
                )}
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => setLines([...shownLines, { sku: catalog.data?.items[0]?.sku ?? '', quantity: '1' }])}>
            Add a line
          </button>
          {quote.data && <QuoteTable quote={quote.data} />}
        </form>
      )}
    </section>
  );
}

function QuoteTable({ quote }: { quote: Quote }) {
  const c = quote.currency;
  const tiers: QuoteTierTotal[] = quote.view === 'operator' ? (quote.tiers ?? []) : [...(quote.own ? [quote.own] : []), ...(quote.below ?? [])];
  return (
    <div className="table-wrap" aria-live="polite">
      <table>
        <caption>Monthly quote</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              Client unit price
            </th>
            <th scope="col" className="num">
              Client amount
            </th>
            {quote.view === 'operator' && (
              <th scope="col" className="num">
                Wholesale
              </th>
            )}
            {quote.view === 'reseller' && (
              <>
                <th scope="col" className="num">
                  Your cost
                </th>
                <th scope="col" className="num">
                  Your margin
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {quote.lines.map((line, i) => (
            <tr key={i}>
              <th scope="row">
                <span className="mono">{line.sku}</span> <span className="small muted">{line.name}</span>
              </th>
              <td className="num">
                {line.quantity} {line.unit}
              </td>
              <td className="num">{formatMoney(line.unitPrice, c)}</td>
              <td className="num">{formatMoney(line.amount, c)}</td>
              {quote.view === 'operator' && <td className="num">{formatMoney(line.wholesaleAmount, c)}</td>}
              {quote.view === 'reseller' && (
                <>
                  <td className="num">{formatMoney(line.own?.costAmount, c)}</td>
                  <td className="num">
                    {formatMoney(line.own?.margin, c)} {line.own?.belowCost && <span className="badge badge--danger">Below cost</span>}
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Client pays per month
            </th>
            <td className="num">
              <strong>{formatMoney(quote.monthlyTotal, c)}</strong>
            </td>
            {quote.view === 'operator' && <td className="num">{formatMoney(quote.wholesaleTotal, c)}</td>}
            {quote.view === 'reseller' && (
              <>
                <td className="num">{formatMoney(quote.own?.costTotal, c)}</td>
                <td className="num">{formatMoney(quote.own?.marginTotal, c)}</td>
              </>
            )}
          </tr>
        </tfoot>
      </table>
      {tiers.length > 0 && (
        <table>
          <caption>Margin by tier</caption>
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="num">
                Sale
              </th>
              <th scope="col" className="num">
                Margin
              </th>
            </tr>
          </thead>
          <tbody>
            {tiers.map((t) => (
              <tr key={t.resellerId}>
                <th scope="row">{t.resellerId === quote.own?.resellerId ? 'You' : `Reseller at depth ${t.depth + 1}`}</th>
                <td className="num">{formatMoney(t.costTotal, c)}</td>
                <td className="num">{formatMoney(t.saleTotal, c)}</td>
                <td className="num">{formatMoney(t.marginTotal, c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
