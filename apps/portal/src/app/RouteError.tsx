import { useRouteError } from 'react-router';
import { ErrorState } from '../ui/states';

/** A page that failed to load (its code, after a deployment) or threw while rendering. */
export function RouteError() {
  const error = useRouteError();
  return <ErrorState title="This page could not be shown" error={error} onRetry={() => window.location.reload()} />;
}
