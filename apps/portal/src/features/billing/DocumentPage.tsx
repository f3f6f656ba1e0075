/** One billing document: who issued it to whom, its lines and totals, and "explain this amount" for a line (with its margin waterfall). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import type { BillingDocument, BillingDocumentLine, LineExplanation } from '../../api/types';
import { Dialog } from '../../ui/Dialog';
import { formatDate, formatMoney, humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, QueryState } from '../../ui/states';
import { ClientMonthCuts, MarginWaterfall } from './MarginWaterfall';

export default function DocumentPage() {
  const { id = '' } = useParams();
  const [explaining, setExplaining] = useState<BillingDocumentLine | null>(null);
  const document = useQuery({ queryKey: ['billing-documents', 'detail', id], queryFn: () => api.get<BillingDocument>(`/documents/${encodeURIComponent(id)}`) });
  return (
    <QueryState query={document} loadingLabel="Loading the document…">
      {(d) => (
        <>
          <PageHeader title={`${humanize(d.kind)} ${d.number ?? '(draft)'}`} description={`${d.issuer.name} to ${d.recipient.name}, period ${d.period}`} />
          <dl className="details">
            <div>
              <dt>Status</dt>
              <dd>
                <span className={`badge badge--${d.status === 'final' ? 'active' : 'open'}`}>{humanize(d.status)}</span>
              </dd>
            </div>
            <div>
              <dt>Issuer</dt>
              <dd>
                {d.issuer.name}
                {d.issuer.taxId && <span className="small muted"> · {d.issuer.taxId}</span>}
              </dd>
            </div>
            <div>
              <dt>Recipient</dt>
              <dd>
                {d.recipient.name}
                {d.recipient.taxId && <span className="small muted"> · {d.recipient.taxId}</span>}
              </dd>
            </div>
            <div>
              <dt>Issued</dt>
              <dd>{formatDate(d.issuedAt)}</dd>
            </div>
            <div>
              <dt>Currency</dt>
              <dd>{d.currency}</dd>
            </div>
          </dl>
          <section className="section" aria-labelledby="lines-heading">
            <h2 id="lines-heading">Lines</h2>
            {d.lines.length === 0 ? (
              <EmptyState title="No lines" />
            ) : (
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Lines of the document</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        #
                      </th>
                      <th scope="col">Description</th>
                      <th scope="col">Client</th>
                      <th scope="col" className="num">
                        Quantity
                      </th>
                      <th scope="col" className="num">
                        Unit price
                      </th>
                      <th scope="col" className="num">
                        Amount
                      </th>
                      <th scope="col">
                        <span className="sr-only">Explain</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.lines.map((line) => (
                      <tr key={line.id}>
                        <td className="num">{line.position}</td>
                        <td>{line.description}</td>
                        <td>{line.clientName ?? line.resellerName ?? line.agentName ?? '—'}</td>
                        <td className="num">{line.proratedQuantity ?? line.quantity ?? (line.clientCount === null ? '—' : `${line.clientCount} clients`)}</td>
                        <td className="num">
                          {line.unitPrice ? formatMoney(line.unitPrice, d.currency) : line.rate ? `${line.rate} × ${formatMoney(line.basis, d.currency)}` : '—'}
                        </td>
                        <td className="num">{formatMoney(line.amount, d.currency)}</td>
                        <td>
                          <button type="button" className="button" onClick={() => setExplaining(line)}>
                            Explain<span className="sr-only"> line {line.position}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row" colSpan={5}>
                        Gross
                      </th>
                      <td className="num">{formatMoney(d.totals.gross, d.currency)}</td>
                      <td />
                    </tr>
                    {d.totals.deductions !== '0.00' && (
                      <tr>
                        <th scope="row" colSpan={5}>
                          Deductions
                        </th>
                        <td className="num">{formatMoney(`-${d.totals.deductions}`, d.currency)}</td>
                        <td />
                      </tr>
                    )}
                    <tr>
                      <th scope="row" colSpan={5}>
                        Total
                      </th>
                      <td className="num">
                        <strong>{formatMoney(d.totals.total, d.currency)}</strong>
                      </td>
                      <td />
                    </tr>
                  </tfoot>
                </table>
              </div>
            )}
          </section>
          {explaining && <ExplanationDialog document={d} line={explaining} onClose={() => setExplaining(null)} />}
        </>
      )}
    </QueryState>
  );
}

function ExplanationDialog({ document: d, line, onClose }: { document: BillingDocument; line: BillingDocumentLine; onClose: () => void }) {
  const explanation = useQuery({
    queryKey: ['billing-documents', 'explanation', d.id, line.id],
    queryFn: () => api.get<LineExplanation>(`/documents/${encodeURIComponent(d.id)}/lines/${encodeURIComponent(line.id)}/explanation`),
  });
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Explain line ${line.position}: ${formatMoney(line.amount, d.currency)}`}
      description={line.description}
    >
      <QueryState query={explanation} loadingLabel="Loading the explanation…">
        {(e) => (
          <>
            {e.usage.map((u) => (
              <MarginWaterfall key={u.ratedLineId} usage={u} currency={d.currency} />
            ))}
            {e.clientMonth && <ClientMonthCuts month={e.clientMonth} currency={d.currency} />}
            {e.usage.length > 0 && (
              <div className="table-wrap">
                <table>
                  <caption>Usage behind the amount</caption>
                  <thead>
                    <tr>
                      <th scope="col">SKU</th>
                      <th scope="col">Period</th>
                      <th scope="col" className="num">
                        Quantity
                      </th>
                      <th scope="col" className="num">
                        Prorated
                      </th>
                      <th scope="col" className="num">
                        Price
                      </th>
                      <th scope="col" className="num">
                        Amount
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.usage.map((u) => {
                      const price = u.client ?? u.wholesale;
                      return (
                        <tr key={u.ratedLineId}>
                          <td className="mono">{u.sku}</td>
                          <td>
                            {u.usagePeriod}
                            {u.late && <span className="badge"> late</span>}
                          </td>
                          <td className="num">{u.quantity}</td>
                          <td className="num">{u.proratedQuantity}</td>
                          <td className="num">{price ? formatMoney(price.unitPrice, d.currency) : '—'}</td>
                          <td className="num">{price ? formatMoney(price.amount, d.currency) : '—'}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
            {e.cuts.length > 0 && (
              <div className="table-wrap">
                <table>
                  <caption>Cuts behind the amount, per client</caption>
                  <thead>
                    <tr>
                      <th scope="col">Client</th>
                      <th scope="col">Kind</th>
                      <th scope="col" className="num">
                        Basis
                      </th>
                      <th scope="col" className="num">
                        Rate
                      </th>
                      <th scope="col" className="num">
                        Amount
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.cuts.map((c) => (
                      <tr key={c.cutLineId}>
                        <td>{c.clientName ?? c.clientId}</td>
                        <td>{humanize(c.kind)}</td>
                        <td className="num">{formatMoney(c.basis, d.currency)}</td>
                        <td className="num">{c.rate ?? (c.feePerActiveClient ? `${formatMoney(c.feePerActiveClient, d.currency)} per client` : '—')}</td>
                        <td className="num">{formatMoney(c.amount, d.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {e.agreements.length > 0 && (
              <p className="small">
                Agreement {e.agreements.length > 1 ? 'versions' : 'version'}:{' '}
                {e.agreements.map((a) => `rate ${a.rate} from ${formatDate(a.effectiveFrom)}`).join('; ')}
              </p>
            )}
            {e.usage.length === 0 && e.cuts.length === 0 && <EmptyState title="Nothing more behind this amount that you may see" />}
            {e.truncated && <p className="small muted">More usage lies behind this amount than is listed; the sums cover it all.</p>}
          </>
        )}
      </QueryState>
    </Dialog>
  );
}
