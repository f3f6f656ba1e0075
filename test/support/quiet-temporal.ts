import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep test output readable: Temporal workers log at INFO by default.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this worker process.
}
