/**
 * The partner tree below the user's own party, as nested disclosure lists (Tab and Enter/Space to
 * open a branch; each branch loads its children and roll-ups when opened).
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../../api/client';
import type { Page, Party, PartyDetail } from '../../api/types';
import { getSession } from '../../auth/session';
import { humanize } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/states';
import { RollUpCounts } from './RollUpCounts';

export default function PartnerTreePage() {
  const partyId = getSession()?.principal.partyId ?? '';
  const root = useQuery({ queryKey: ['parties', 'detail', partyId], queryFn: () => api.get<PartyDetail>(`/parties/${partyId}`) });
  return (
    <>
      <PageHeader
        title="Partner tree"
        description="Your organisation and every partner and client below it, with roll-ups. Open a branch to see what is inside."
      />
      <QueryState query={root} loadingLabel="Loading the partner tree…">
        {(party) => (
          <>
            <RollUpCounts rollUp={party.rollUp} label={`Below ${party.name}`} />
            <ul className="tree" aria-label="Partner tree">
              <TreeNode party={party} initiallyOpen />
            </ul>
          </>
        )}
      </QueryState>
    </>
  );
}

function TreeNode({ party, initiallyOpen = false }: { party: Party; initiallyOpen?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const groupId = useId();
  const leaf = party.kind === 'client';
  const children = useQuery({
    queryKey: ['parties', 'children', party.id],
    queryFn: () => api.get<Page<Party>>(`/parties/${party.id}/children${query({ pageSize: 200 })}`),
    enabled: open && !leaf,
  });
  const detail = useQuery({ queryKey: ['parties', 'detail', party.id], queryFn: () => api.get<PartyDetail>(`/parties/${party.id}`), enabled: open && !leaf });
  return (
    <li className="tree-node">
      <div className="tree-row">
        {leaf ? (
          <span className="tree-toggle tree-toggle--leaf" aria-hidden="true" />
        ) : (
          <button type="button" className="tree-toggle" aria-expanded={open} aria-controls={groupId} onClick={() => setOpen(!open)}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
            <span className="sr-only">
              {open ? 'Close' : 'Open'} {party.name}
            </span>
          </button>
        )}
        <Link to={`/partners/${party.id}`}>{party.name}</Link>
        <span className={`badge badge--kind`}>{humanize(party.kind)}</span>
        {party.status !== 'active' && <span className={`badge badge--${party.status}`}>{humanize(party.status)}</span>}
        {open && detail.data && <span className="tree-rollup muted small">{summarize(detail.data.rollUp)}</span>}
      </div>
      {open && !leaf && (
        <div id={groupId}>
          <QueryState
            query={children}
            loadingLabel={`Loading what is below ${party.name}…`}
            isEmpty={(d) => d.items.length === 0}
            empty={<p className="tree-empty muted">Nobody below yet.</p>}
          >
            {(data) => (
              <ul className="tree-group">
                {data.items.map((child) => (
                  <TreeNode key={child.id} party={child} />
                ))}
                {data.meta.hasMore && <li className="muted">… and {data.meta.total - data.items.length} more (open the partner to see them all)</li>}
              </ul>
            )}
          </QueryState>
        </div>
      )}
    </li>
  );
}

function summarize(rollUp: PartyDetail['rollUp']): string {
  const parts = (['distributors', 'agents', 'resellers', 'clients'] as const).filter((k) => rollUp[k] > 0).map((k) => `${rollUp[k]} ${k}`);
  return parts.length ? parts.join(' · ') : 'nobody below';
}
