import type { Page } from '../api/types';

export function Pager({ meta, onPage, label }: { meta: Page<unknown>['meta']; onPage: (page: number) => void; label: string }) {
  if (meta.page === 1 && !meta.hasMore) return null;
  const pages = Math.max(1, Math.ceil(meta.total / meta.pageSize));
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button" disabled={meta.page <= 1} onClick={() => onPage(meta.page - 1)}>
        Previous
      </button>
      <span>
        Page {meta.page} of {pages} ({meta.total} in all)
      </span>
      <button type="button" className="button" disabled={!meta.hasMore} onClick={() => onPage(meta.page + 1)}>
        Next
      </button>
    </nav>
  );
}
