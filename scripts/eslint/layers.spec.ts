import { ESLint, type Linter } from 'eslint';
import { join, resolve } from 'node:path';
import tseslint from 'typescript-eslint';

// The layer rules as ESLint applies them to the project: small in-memory sources placed at paths
// in each layer, each forbidden import refused with the message that states its rule, each allowed
// one accepted. Imports resolve against the real tree (path aliases included).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const layers = require('./layers.cjs') as Linter.Config[];

const root = resolve(__dirname, '..', '..');
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser } }, ...layers],
});

const RULE = {
  workflows: /^Workflows are deterministic: they may import only @temporalio\/workflow, @wholesail\/contracts, @wholesail\/domain/,
  contracts: /^libs\/contracts is pure and runs inside workflows/,
  activities: /^Activities never import workflows or apps/,
  api: /^apps\/api never imports activities or workflows/,
  domain: /^libs\/domain is pure: it may import only itself, decimal\.js and ms/,
};

/** The boundaries messages for a one-line source at `file`. */
async function lint(file: string, line: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${line}\n`, { filePath: join(root, file) });
  const fatal = result.messages.filter((message) => message.fatal);
  if (fatal.length > 0) throw new Error(`${file}: ${fatal.map((message) => message.message).join('; ')}`);
  return result.messages.filter((message) => message.ruleId === 'boundaries/dependencies').map((message) => message.message);
}

const layerCases: { layer: keyof typeof RULE; file: string; forbidden: string[]; allowed: string[] }[] = [
  {
    layer: 'workflows',
    file: 'workflows/onboarding/layer-probe.workflow.ts',
    forbidden: [
      "import { readFileSync } from 'node:fs';",
      "import { randomUUID } from 'crypto';",
      "import { Injectable } from '@nestjs/common';",
      "import { EntityManager } from '@mikro-orm/postgresql';",
      "import { createTransport } from 'nodemailer';",
      "import { Client } from '@temporalio/client';",
      "import { Context } from '@temporalio/activity';",
      "import { ormConfig } from '@wholesail/persistence';",
      "import { loadConfig } from '@wholesail/config';",
      "import { PartyStatusActivities } from '../../activities/parties/party-status.activities';",
      "export { PartyStatusActivities } from '../../activities/parties/party-status.activities';",
      "const fs = require('node:fs');",
      "const mail = import('@wholesail/mail');",
      "import { AppModule } from '../../apps/api/src/app.module';",
    ],
    allowed: [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import type { ChangePartyStatusInput } from '@wholesail/contracts';",
      "import { parseDuration } from '@wholesail/domain';",
      "import type { PartyStatusActivities } from '../../activities/parties/party-status.activities';",
      "import { changePartyStatus } from '../parties/change-party-status.workflow';",
    ],
  },
  {
    layer: 'contracts',
    file: 'libs/contracts/src/onboarding/layer-probe.contract.ts',
    forbidden: [
      "import { readFileSync } from 'node:fs';",
      "import { IsString } from 'class-validator';",
      "import { ormConfig } from '@wholesail/persistence';",
      "import { changePartyStatus } from '../../../../workflows/parties/change-party-status.workflow';",
    ],
    allowed: [
      "import { defineUpdate } from '@temporalio/workflow';",
      "import type { RetryPolicy } from '@temporalio/common';",
      "import type { PartyKind } from '@wholesail/domain';",
      "import { ONBOARDING_WORKFLOW } from './onboarding.contract';",
    ],
  },
  {
    layer: 'activities',
    file: 'activities/onboarding/layer-probe.activities.ts',
    forbidden: [
      "import { changePartyStatus } from '../../workflows/parties/change-party-status.workflow';",
      "import type { changePartyStatus } from '../../workflows/parties/change-party-status.workflow';",
      "import * as workflows from '../../workflows';",
      "import { AppModule } from '../../apps/api/src/app.module';",
      "import { createWorker } from '../../apps/worker/src/worker.factory';",
    ],
    allowed: [
      "import { Context } from '@temporalio/activity';",
      "import { Injectable } from '@nestjs/common';",
      "import { Party } from '@wholesail/persistence';",
      "import type { ChangePartyStatusInput } from '@wholesail/contracts';",
      "import { EmailOutbox } from '../mail/email-outbox.service';",
      "import { randomUUID } from 'node:crypto';",
    ],
  },
  {
    layer: 'api',
    file: 'apps/api/src/parties/layer-probe.service.ts',
    forbidden: [
      "import { PartyStatusActivities } from '../../../../activities/parties/party-status.activities';",
      "import type { PartyStatusActivities } from '../../../../activities/parties/party-status.activities';",
      "import { ACTIVITY_CLASSES } from '../../../../activities';",
      "import { changePartyStatus } from '../../../../workflows/parties/change-party-status.workflow';",
      "export * from '../../../../workflows';",
    ],
    allowed: [
      "import { Client } from '@temporalio/client';",
      "import type { ChangePartyStatusInput } from '@wholesail/contracts';",
      "import { Party } from '@wholesail/persistence';",
      "import { Injectable } from '@nestjs/common';",
      "import { TenancyService } from '../tenancy/tenancy.service';",
    ],
  },
  {
    layer: 'domain',
    file: 'libs/domain/src/pricing/layer-probe.ts',
    forbidden: [
      "import { Injectable } from '@nestjs/common';",
      "import { Entity } from '@mikro-orm/core';",
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { readFileSync } from 'node:fs';",
      "import { createHash } from 'crypto';",
      "import { loadConfig } from '@wholesail/config';",
      "import type { ChangePartyStatusInput } from '@wholesail/contracts';",
      "import { ormConfig } from '../../../persistence/src';",
      "import fc from 'fast-check';",
    ],
    allowed: [
      "import Decimal from 'decimal.js';",
      "import ms from 'ms';",
      "import { DomainError } from '../errors';",
      "import { parseDuration } from '../approvals/duration';",
    ],
  },
];

describe('layer rules (ESLint, eslint-plugin-boundaries)', () => {
  describe.each(layerCases)('$layer', ({ layer, file, forbidden, allowed }) => {
    it.each(forbidden)(`refuses %s`, async (line) => {
      const messages = await lint(file, line);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(RULE[layer]);
    });

    it.each(allowed)(`accepts %s`, async (line) => {
      expect(await lint(file, line)).toEqual([]);
    });
  });

  it('lets a spec beside the domain code use test tools and read the source tree, but not other layers', async () => {
    const spec = 'libs/domain/src/pricing/layer-probe.spec.ts';
    expect(await lint(spec, "import fc from 'fast-check';")).toEqual([]);
    expect(await lint(spec, "import { readFileSync } from 'node:fs';")).toEqual([]);
    expect(await lint(spec, "import { loadConfig } from '@wholesail/config';")).toEqual([expect.stringMatching(RULE.domain)]);
  });

  it('holds test-only workflows to the workflow rules', async () => {
    const harness = 'test/workflows/approvals/layer-probe.workflow.ts';
    expect(await lint(harness, "import { registerApprovalSteps } from '../../../workflows/approvals/approval-step';")).toEqual([]);
    expect(await lint(harness, "import { readFileSync } from 'node:fs';")).toEqual([expect.stringMatching(RULE.workflows)]);
    expect(await lint(harness, "import { startHarness } from '../../support/harness';")).toEqual([expect.stringMatching(RULE.workflows)]);
  });

  it('leaves the other layers free to compose the application', async () => {
    expect(await lint('apps/worker/src/layer-probe.ts', "import { ACTIVITY_CLASSES } from '../../../activities';")).toEqual([]);
    expect(await lint('test/e2e/layer-probe.ts', "import * as workflows from '../../workflows';")).toEqual([]);
    expect(await lint('libs/mail/src/layer-probe.ts', "import { createTransport } from 'nodemailer';")).toEqual([]);
  });
});
