/** The solution screens' reads, one query key each, so a save or a decision refreshes every screen that shows it. */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, query } from '../../api/client';
import type { CatalogItem, DesignVersion, DesignVersionSummary, Page, Solution, Submission } from '../../api/types';
import { isWaiting } from './solution-status';

/** When this tab last submitted a version of a solution (by id). */
const submittedAt = new Map<string, number>();
const FOLLOW_SUBMISSION_MS = 120_000;

export function useSolution(id: string) {
  return useQuery({
    queryKey: ['solutions', 'detail', id],
    queryFn: () => api.get<Solution>(`/solutions/${encodeURIComponent(id)}`),
    // While the approval runs, the page follows it; also just after a submission, which the
    // workflow records a moment after the API accepted it (until then the solution reads `draft`).
    refetchInterval: (q) => {
      if (q.state.data && isWaiting(q.state.data.status)) return 3000;
      return Date.now() - (submittedAt.get(id) ?? 0) < FOLLOW_SUBMISSION_MS ? 2000 : false;
    },
  });
}

/** After a submission: show the status the API answered at once, follow the solution, refresh the lists. */
export function followSubmission(queryClient: QueryClient, submission: Submission): void {
  submittedAt.set(submission.solutionId, Date.now());
  queryClient.setQueryData<Solution>(['solutions', 'detail', submission.solutionId], (s) =>
    s ? { ...s, status: submission.status, currentVersion: submission.versionNo, round: submission.round } : s,
  );
  void queryClient.invalidateQueries({ queryKey: ['solutions'] });
}

export function useVersions(id: string, live = false) {
  return useQuery({
    queryKey: ['solutions', 'versions', id],
    queryFn: () => api.get<Page<DesignVersionSummary>>(`/solutions/${encodeURIComponent(id)}/versions${query({ pageSize: 200 })}`),
    refetchInterval: live ? 5000 : false,
  });
}

export function useVersion(id: string, version: number | null) {
  return useQuery({
    queryKey: ['solutions', 'version', id, version],
    queryFn: () => api.get<DesignVersion>(`/solutions/${encodeURIComponent(id)}/versions/${version}`),
    enabled: !!version,
    staleTime: 60_000,
  });
}

/** The catalog items a design may use: VM templates and OS licences (not retired). */
export function useDesignItems() {
  return useQuery({
    queryKey: ['catalog', { designable: true }],
    queryFn: async () => {
      const page = await api.get<Page<CatalogItem>>(`/catalog/items${query({ pageSize: 200, retired: 'false' })}`);
      const role = (item: CatalogItem) => item.design?.role;
      return {
        templates: page.items.filter((i) => role(i) === 'vm-template'),
        licences: page.items.filter((i) => role(i) === 'os-licence'),
        all: page.items.filter((i) => i.design),
      };
    },
    staleTime: 5 * 60_000,
  });
}

/** The version a page shows by default: the approved one, else the one under review, else the newest. */
export function shownVersion(solution: Solution): number | null {
  return solution.approvedVersion ?? solution.currentVersion ?? (solution.latestVersion || null);
}
