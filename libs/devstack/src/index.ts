// The local development and test stack: PostgreSQL, the Temporal dev server and MailDev,
// started on demand for `npm start` (scripts/start.sh -> dev.main) and the Jest global setup.
export { startMailCatcher } from './mail-catcher';
export type { MailCatcherOptions, RunningMailCatcher } from './mail-catcher';
export { MailInboxClient } from './mail-inbox';
export type { CaughtAttachment, CaughtMessage, CaughtMessageSummary } from './mail-inbox';
export { findFreePort, isPortFree } from './ports';
export { startPostgres } from './postgres';
export type { PostgresOptions, RunningPostgres } from './postgres';
export type { Logger } from './processes';
export { findRepoRoot } from './repo-root';
export { startStack } from './stack';
export type { Stack, StackOptions } from './stack';
export { resolveTemporalBinary } from './temporal-binary';
export { startTemporal } from './temporal';
export type { RunningTemporal, TemporalOptions } from './temporal';
export { resolveToolBinary } from './tool-binary';
export { resolveGovcBinary, resolveVcsimBinary, startVcsim, VCSIM_PASSWORD, VCSIM_USERNAME } from './vcsim';
export type { RunningVcsim, VcsimOptions } from './vcsim';
