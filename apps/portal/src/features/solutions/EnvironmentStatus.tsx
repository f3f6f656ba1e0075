/** A solution's environment as it stands: its state, the operation under way (polled) and each resource with its state and live power. */
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { Environment } from '../../api/types';
import { formatDateTime, humanize } from '../../ui/format';
import { EmptyState, QueryState } from '../../ui/states';
import { share } from '../billing/billing-run';

const TONE: Record<string, string> = { running: 'active', on: 'active', failed: 'danger', error: 'danger', missing: 'danger', destroyed: 'closed' };

export function EnvironmentStatus({ solutionId }: { solutionId: string }) {
  const environment = useQuery({
    queryKey: ['environments', 'detail', solutionId],
    queryFn: () => api.get<Environment | null>(`/environments/${encodeURIComponent(solutionId)}`).catch(notYet),
    refetchInterval: (q) => (q.state.data?.operation.running ? 3_000 : 30_000),
  });
  return (
    <section className="section" aria-labelledby="environment-heading">
      <h2 id="environment-heading">
        Environment {environment.data && <span className={`badge badge--${TONE[environment.data.state] ?? 'open'}`}>{humanize(environment.data.state)}</span>}
      </h2>
      <QueryState
        query={environment}
        loadingLabel="Loading the environment…"
        isEmpty={(d) => d === null}
        empty={<EmptyState title="Not provisioned yet">The environment is built once the solution is approved.</EmptyState>}
      >
        {(env) => env && <EnvironmentDetail env={env} />}
      </QueryState>
    </section>
  );
}

/** No environment yet reads as an empty state, not an error. */
function notYet(error: unknown): null {
  if (error instanceof ApiError && error.status === 404) return null;
  throw error;
}

function EnvironmentDetail({ env }: { env: Environment }) {
  const op = env.operation;
  const percent = share(op.stepsDone, op.stepsTotal);
  return (
    <>
      <p aria-live="polite">
        {humanize(op.operation)} {op.running ? `under way: ${humanize(op.phase)}` : `finished ${formatDateTime(op.finishedAt)}`} · {op.stepsDone} of{' '}
        {op.stepsTotal} steps ({percent} %)
      </p>
      {op.running && (
        <div className="bar" aria-hidden="true">
          <div className="bar-fill" style={{ width: `${percent}%` }} />
        </div>
      )}
      {op.error && (
        <p className="field-error" role="alert">
          {op.error.message}
        </p>
      )}
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Resources of the environment</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Power</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {env.resources.map((r) => (
              <tr key={`${r.kind}:${r.key}`}>
                <td>{r.name}</td>
                <td>{humanize(r.kind)}</td>
                <td>
                  <span className={`badge badge--${TONE[r.state] ?? 'open'}`}>{humanize(r.state)}</span>
                </td>
                <td>
                  {r.live ? (
                    <>
                      <span className={`badge badge--${TONE[r.live.power] ?? 'open'}`}>{humanize(r.live.power)}</span>
                      {r.live.error && <span className="small muted"> {r.live.error.message}</span>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{r.kind === 'vm' ? `${r.vcpus ?? '?'} vCPU, ${r.ramGb ?? '?'} GB RAM, ${r.diskGb ?? '?'} GB disk` : r.diskGb ? `${r.diskGb} GB` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
