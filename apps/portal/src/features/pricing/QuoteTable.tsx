/** A quote laid out: each line's client price and, as the viewer may see them, wholesale or its own cost and margin, then each tier's margin. */
import type { ReactNode } from 'react';
import type { Quote, QuoteLine, QuoteTierTotal } from '../../api/types';
import { formatMoney } from '../../ui/format';

export function QuoteTable({
  quote,
  caption = 'Monthly quote',
  describe,
  live = true,
}: {
  quote: Quote;
  caption?: string;
  /** What a line prices, shown before the item (e.g. the design component it belongs to). */
  describe?: (line: QuoteLine) => ReactNode;
  /** Announce changes (a quote that follows the user's typing). */
  live?: boolean;
}) {
  const c = quote.currency;
  const tiers: QuoteTierTotal[] = quote.view === 'operator' ? (quote.tiers ?? []) : [...(quote.own ? [quote.own] : []), ...(quote.below ?? [])];
  return (
    <div className="table-wrap" aria-live={live ? 'polite' : undefined}>
      <table>
        <caption>{caption}</caption>
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
                {describe && <>{describe(line)} · </>}
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
