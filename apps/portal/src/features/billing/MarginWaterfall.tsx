/**
 * Where a usage line's money goes, as "explain this amount" returns it: what the client pays, each
 * reseller's margin (the client's own reseller first), wholesale; for the operator, the cuts on the
 * client's month (distributors and agents earn per client and month) and what the operator keeps.
 * Each viewer sees only the steps the API shows it: a reseller down to its own cost.
 */
import type { ExplainedClientMonth, ExplainedUsage } from '../../api/types';
import { formatDate, formatMoney } from '../../ui/format';

/** A step down the waterfall is taken off: it shows with a minus (a margin below cost adds back). */
function takenOff(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

export function MarginWaterfall({ usage: u, currency }: { usage: ExplainedUsage; currency: string }) {
  if (u.tiers.length === 0 && !(u.client && u.wholesale)) return null;
  const tiers = [...u.tiers].sort((a, b) => b.depth - a.depth);
  const top = tiers[tiers.length - 1];
  return (
    <div className="table-wrap">
      <table className="waterfall">
        <caption>
          Margin waterfall: {u.sku}, {formatDate(u.from)} to {formatDate(u.to)}
        </caption>
        <tbody>
          {u.client && (
            <tr>
              <th scope="row">Client pays</th>
              <td className="num">{formatMoney(u.client.amount, currency)}</td>
            </tr>
          )}
          {tiers.map((t) => (
            <tr key={t.depth}>
              <th scope="row">
                {t.resellerName ?? 'Reseller'}’s margin{' '}
                <span className="small muted">
                  (sells at {formatMoney(t.unitPrice, currency)}, buys at {formatMoney(t.unitCost, currency)} a unit)
                </span>
              </th>
              <td className="num">{formatMoney(takenOff(t.margin), currency)}</td>
            </tr>
          ))}
          {u.wholesale ? (
            <tr className="waterfall-result">
              <th scope="row">Wholesale, the operator’s price</th>
              <td className="num">{formatMoney(u.wholesale.amount, currency)}</td>
            </tr>
          ) : (
            top && (
              // A reseller sees down to what it pays for the line, never the prices above it.
              <tr className="waterfall-result">
                <th scope="row">{top.resellerName ?? 'Reseller'}’s cost</th>
                <td className="num">{formatMoney(top.costAmount, currency)}</td>
              </tr>
            )
          )}
        </tbody>
      </table>
    </div>
  );
}

const CUT_LABELS = { commission: 'Distributor cut', fee: 'Distributor fee', agent: 'Agent cut' } as const;

export function ClientMonthCuts({ month, currency }: { month: ExplainedClientMonth; currency: string }) {
  return (
    <div className="table-wrap">
      <table className="waterfall">
        <caption>Cuts on {month.clientName ?? 'the client'}’s month, and the operator’s net</caption>
        <tbody>
          <tr>
            <th scope="row">Wholesale of the client’s month</th>
            <td className="num">{formatMoney(month.wholesale, currency)}</td>
          </tr>
          {month.cuts.map((c) => {
            const carved = c.kind === 'agent' && c.fundedBy === 'distributor';
            return (
              <tr key={c.cutLineId}>
                <th scope="row">
                  {CUT_LABELS[c.kind]}{' '}
                  <span className="small muted">
                    ({c.partyName ?? c.partyId}
                    {c.rate && c.basis ? `: ${c.rate} × ${formatMoney(c.basis, currency)}` : ''}
                    {c.feePerActiveClient ? `: ${formatMoney(c.feePerActiveClient, currency)} per active client` : ''}
                    {carved ? ', carved out of the distributor’s cut' : ''})
                  </span>
                </th>
                <td className="num">{carved ? formatMoney(c.amount, currency) : formatMoney(takenOff(c.amount), currency)}</td>
              </tr>
            );
          })}
          <tr className="waterfall-result">
            <th scope="row">Operator net</th>
            <td className="num">
              <strong>{formatMoney(month.operatorNet, currency)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
