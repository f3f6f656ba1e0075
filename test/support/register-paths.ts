import { register } from 'tsconfig-paths';
import { join } from 'node:path';

// Jest applies moduleNameMapper to test files but not to globalSetup/globalTeardown modules, which
// are plain-required: map the @wholesail/* aliases to their sources for those.
register({
  baseUrl: join(__dirname, '../..'),
  paths: { '@wholesail/*': ['libs/*/src'] },
});
