import { DomainError, type FieldProblem } from '../errors';
import { Dec, isDecimalInput, parseDecimal } from '../money';
import { instantProblem } from '../pricing/instant';
import { BillingErrorCode } from './billing-errors';
import { isPeriodId, periodContaining } from './period';

/**
 * The field rules of usage as it arrives — a resource event over the API or from provisioning, a
 * line of a usage import — checked without I/O. Whether the client and SKU exist is the
 * recorder's question; whether an event fits the resource's other events is `resource-timeline`.
 */
export const RESOURCE_EVENT_KINDS = ['start', 'change', 'stop'] as const;
export type ResourceEventKind = (typeof RESOURCE_EVENT_KINDS)[number];

export const USAGE_SOURCES = ['provisioning', 'api', 'import'] as const;
export type UsageSource = (typeof USAGE_SOURCES)[number];

/** Quantities are stored as numeric(20, 6): 14 digits before the point, 6 after. */
export const USAGE_QUANTITY_INTEGER_DIGITS = 14;
export const USAGE_QUANTITY_SCALE = 6;
/** How far in the future an event may claim to have happened: clocks of other platforms drift. */
export const USAGE_FUTURE_SKEW_MS = 5 * 60 * 1000;
export const USAGE_ID_MAX_LENGTH = 200;
export const USAGE_DESCRIPTION_MAX_LENGTH = 500;

const IDENTIFIER = /^[\x21-\x7e]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const QUANTITY = new RegExp(`^\\d{1,${USAGE_QUANTITY_INTEGER_DIGITS}}(\\.\\d{1,${USAGE_QUANTITY_SCALE}})?$`);

/** A resource event as a caller sends it (fields unchecked). */
export interface ResourceEventInput {
  transactionId?: unknown;
  clientId?: unknown;
  resourceId?: unknown;
  sku?: unknown;
  kind?: unknown;
  quantity?: unknown;
  occurredAt?: unknown;
}

/** A resource event whose fields are valid. A stop carries no quantity. */
export interface ResourceEventFields {
  transactionId: string;
  clientId: string;
  resourceId: string;
  sku: string;
  kind: ResourceEventKind;
  quantity: Dec | null;
  occurredAt: Date;
}

/** An imported usage line as sent: a quantity of an item for a client over a whole period. */
export interface UsageLineInput {
  transactionId?: unknown;
  clientId?: unknown;
  sku?: unknown;
  quantity?: unknown;
  period?: unknown;
  description?: unknown;
}

export interface UsageLineFields {
  transactionId: string;
  clientId: string;
  sku: string;
  quantity: Dec;
  period: string;
  description: string | null;
}

export interface UsageInputOptions {
  /** The instant "now" for the future check. */
  now: Date;
  /** Prefix of the field names in problems, e.g. `events[3].` */
  prefix?: string;
}

export function resourceEventProblems(input: ResourceEventInput, options: UsageInputOptions): FieldProblem[] {
  const p = options.prefix ?? '';
  const problems: FieldProblem[] = [
    ...identifierProblems(input.transactionId, `${p}transactionId`),
    ...uuidProblems(input.clientId, `${p}clientId`, 'client'),
    ...identifierProblems(input.resourceId, `${p}resourceId`),
    ...skuProblems(input.sku, `${p}sku`),
  ];
  if (!RESOURCE_EVENT_KINDS.includes(input.kind as ResourceEventKind)) {
    problems.push({ field: `${p}kind`, problem: `must be one of: ${RESOURCE_EVENT_KINDS.join(', ')}` });
  } else if (input.kind !== 'stop' || input.quantity != null) {
    problems.push(...quantityProblems(input.quantity, `${p}quantity`));
  }
  problems.push(...instantProblems(input.occurredAt, `${p}occurredAt`, options.now));
  return problems;
}

/** Valid fields or USAGE_INVALID_EVENT listing every problem. A stop's quantity is dropped. */
export function parseResourceEvent(input: ResourceEventInput, options: UsageInputOptions): ResourceEventFields {
  throwIfProblems(BillingErrorCode.InvalidUsageEvent, resourceEventProblems(input, options));
  const kind = input.kind as ResourceEventKind;
  return {
    transactionId: input.transactionId as string,
    clientId: (input.clientId as string).toLowerCase(),
    resourceId: input.resourceId as string,
    sku: input.sku as string,
    kind,
    quantity: kind === 'stop' ? null : parseDecimal(input.quantity as string, 'quantity'),
    occurredAt: new Date(input.occurredAt as string),
  };
}

export interface UsageLineOptions extends UsageInputOptions {
  /** The operator's zone: a line may not be for a period after the current one. */
  timeZone: string;
  /** The current period, when the caller has worked it out already (an import checks 100k lines). */
  currentPeriod?: string;
}

export function usageLineProblems(input: UsageLineInput, options: UsageLineOptions): FieldProblem[] {
  const p = options.prefix ?? '';
  const problems: FieldProblem[] = [
    ...identifierProblems(input.transactionId, `${p}transactionId`),
    ...uuidProblems(input.clientId, `${p}clientId`, 'client'),
    ...skuProblems(input.sku, `${p}sku`),
    ...quantityProblems(input.quantity, `${p}quantity`),
  ];
  if (!isPeriodId(input.period)) problems.push({ field: `${p}period`, problem: 'must be a month as YYYY-MM, e.g. "2026-10"' });
  else {
    const current = options.currentPeriod ?? periodContaining(options.now, options.timeZone).id;
    if (input.period > current) problems.push({ field: `${p}period`, problem: `must not be after the current period ${current}` });
  }
  if (input.description != null && (typeof input.description !== 'string' || input.description.length > USAGE_DESCRIPTION_MAX_LENGTH)) {
    problems.push({ field: `${p}description`, problem: `must be text of at most ${USAGE_DESCRIPTION_MAX_LENGTH} characters` });
  }
  return problems;
}

export function parseUsageLine(input: UsageLineInput, options: UsageLineOptions): UsageLineFields {
  throwIfProblems(BillingErrorCode.InvalidUsageLine, usageLineProblems(input, options));
  return usageLineFields(input);
}

/** The fields of a line `usageLineProblems` found no problem with. */
export function usageLineFields(input: UsageLineInput): UsageLineFields {
  return {
    transactionId: input.transactionId as string,
    clientId: (input.clientId as string).toLowerCase(),
    sku: input.sku as string,
    quantity: parseDecimal(input.quantity as string, 'quantity'),
    period: input.period as string,
    description: input.description == null || input.description === '' ? null : (input.description as string),
  };
}

function identifierProblems(value: unknown, field: string): FieldProblem[] {
  if (typeof value !== 'string' || value.length === 0) return [{ field, problem: 'is required' }];
  if (value.length > USAGE_ID_MAX_LENGTH || !IDENTIFIER.test(value)) {
    return [{ field, problem: `must be 1–${USAGE_ID_MAX_LENGTH} visible ASCII characters without spaces` }];
  }
  return [];
}

function uuidProblems(value: unknown, field: string, what: string): FieldProblem[] {
  if (typeof value !== 'string' || value.length === 0) return [{ field, problem: 'is required' }];
  return UUID.test(value) ? [] : [{ field, problem: `must be a ${what} id (a UUID)` }];
}

function skuProblems(value: unknown, field: string): FieldProblem[] {
  if (typeof value !== 'string' || value.length === 0) return [{ field, problem: 'is required' }];
  return SKU.test(value) ? [] : [{ field, problem: 'must be a catalog SKU (letters, digits, . _ -; at most 64)' }];
}

function quantityProblems(value: unknown, field: string): FieldProblem[] {
  if (value == null || value === '') return [{ field, problem: 'is required' }];
  if (typeof value === 'number') return [{ field, problem: 'must be a decimal string such as "2.5", not a JSON number' }];
  if (typeof value === 'string' && value.startsWith('-') && isDecimalInput(value)) return [{ field, problem: 'must not be negative' }];
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    return [
      {
        field,
        problem: `must be a decimal string ≥ 0 such as "2.5" (at most ${USAGE_QUANTITY_INTEGER_DIGITS} digits before the point and ${USAGE_QUANTITY_SCALE} after)`,
      },
    ];
  }
  return [];
}

function instantProblems(value: unknown, field: string, now: Date): FieldProblem[] {
  if (value == null || value === '') return [{ field, problem: 'is required' }];
  // The one rule for instants (shape, and the years 1970–9999).
  const problem = typeof value === 'string' ? instantProblem(value) : 'must be an ISO 8601 instant with an offset, e.g. "2026-10-15T08:30:00Z"';
  if (problem) return [{ field, problem }];
  const ms = Date.parse(value as string);
  if (ms > now.getTime() + USAGE_FUTURE_SKEW_MS)
    return [{ field, problem: `must not be in the future (beyond ${USAGE_FUTURE_SKEW_MS / 60_000} minutes of clock skew)` }];
  return [];
}

function throwIfProblems(code: string, problems: FieldProblem[]): void {
  if (problems.length) throw new DomainError(code, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
}
