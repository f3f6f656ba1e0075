// One Jest run, several projects: unit (beside the code), workflow, replay, integration, e2e and
// portal (the web portal in Debian's Chromium).
// Integration and e2e share a global setup that starts real PostgreSQL, Temporal and SMTP.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
// The portal's components (.tsx) are unit-tested too: same compiler, with JSX.
const swcTsx = [
  '@swc/jest',
  { ...swc[1], jsc: { ...swc[1].jsc, parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } },
];
const moduleNameMapper = {
  // The portal imports single contract files (their index defines Temporal messages).
  '^@wholesail/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  '^@wholesail/(contracts|domain|persistence|config|devstack|temporal|mail|auth|parties|designs|hypervisors|usage|billing|billing-documents|provisioning)$':
    '<rootDir>/libs/$1/src',
};
const base = {
  rootDir: __dirname,
  setupFiles: ['<rootDir>/test/support/quiet-temporal.ts'],
  transform: { '^.+\\.ts$': swc, '^.+\\.tsx$': swcTsx },
  moduleNameMapper,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,activities,workflows,scripts}/**/*.spec.ts'] },
    { ...base, displayName: 'workflows', testMatch: ['<rootDir>/test/workflows/**/*.workflow-spec.ts', '<rootDir>/test/replay/**/*.replay-spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...base,
      displayName: 'portal',
      testMatch: ['<rootDir>/test/portal/**/*.portal-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
