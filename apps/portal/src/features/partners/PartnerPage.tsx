/** One partner or client: its details, roll-ups and the parties directly below it. */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, query } from '../../api/client';
import type { Page, Party, PartyDetail } from '../../api/types';
import { formatDate, humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, QueryState } from '../../ui/states';
import { RollUpCounts } from './RollUpCounts';

export default function PartnerPage() {
  const { id = '' } = useParams();
  const party = useQuery({ queryKey: ['parties', 'detail', id], queryFn: () => api.get<PartyDetail>(`/parties/${encodeURIComponent(id)}`) });
  const children = useQuery({
    queryKey: ['parties', 'children', id, 'all'],
    queryFn: () => api.get<Page<Party>>(`/parties/${encodeURIComponent(id)}/children${query({ pageSize: 200 })}`),
  });
  return (
    <QueryState query={party} loadingLabel="Loading the partner…">
      {(p) => (
        <>
          <PageHeader title={p.name} description={<Link to="/partners">Partner tree</Link>} />
          <dl className="details">
            <div>
              <dt>Kind</dt>
              <dd>{humanize(p.kind)}</dd>
            </div>
            <div>
              <dt>Code</dt>
              <dd className="mono">{p.code}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <span className={`badge badge--${p.status}`}>{humanize(p.status)}</span>
              </dd>
            </div>
            <div>
              <dt>Billing e-mail</dt>
              <dd>{p.billingEmail ?? '—'}</dd>
            </div>
            <div>
              <dt>Tax ID</dt>
              <dd>{p.taxId ?? '—'}</dd>
            </div>
            <div>
              <dt>Partner ID</dt>
              <dd className="mono">{p.id}</dd>
            </div>
            <div>
              <dt>Since</dt>
              <dd>{formatDate(p.createdAt)}</dd>
            </div>
          </dl>
          {p.kind !== 'client' && <RollUpCounts rollUp={p.rollUp} label={`Below ${p.name}`} />}
          {p.kind !== 'client' && (
            <section className="section" aria-labelledby="below-heading">
              <h2 id="below-heading">Directly below</h2>
              <QueryState query={children} isEmpty={(d) => d.items.length === 0} empty={<EmptyState title="Nobody below yet" />}>
                {(data) => (
                  <ul className="plain-list">
                    {data.items.map((c) => (
                      <li key={c.id}>
                        <Link to={`/partners/${c.id}`}>{c.name}</Link> <span className="badge badge--kind">{humanize(c.kind)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </QueryState>
            </section>
          )}
        </>
      )}
    </QueryState>
  );
}
