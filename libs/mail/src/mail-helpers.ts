import type Handlebars from 'handlebars';
import { httpUrl } from './mail-branding';

/**
 * Thrown inside a render when the data lacks something the template needs; the renderer turns it
 * into a MAIL_TEMPLATE_DATA error naming the template.
 */
export class TemplateDataProblem extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`"${variable}" ${problem}`);
    this.name = 'TemplateDataProblem';
  }
}

/**
 * Handlebars' strict mode checks `{{name}}` but not helper arguments or partial hash values
 * (`{{formatDate dueAt}}`, `{{#each problems}}`, `{{> button url=link}}` with the field missing
 * just see `undefined`). Templates are compiled with `trackIds`, which hands helpers and partials
 * the paths their arguments came from, so those gaps fail too, naming the variable.
 */
interface TrackedOptions extends Handlebars.HelperOptions {
  ids?: unknown[];
  hashIds?: Record<string, unknown>;
}

type Helper = (...args: unknown[]) => unknown;

function argumentName(id: unknown, fallback: string): string {
  return typeof id === 'string' && id ? id : fallback;
}

/** Fails on an undefined argument or hash value instead of passing it on. */
export function strictHelper(name: string, helper: Helper): Helper {
  return function (this: unknown, ...args: unknown[]): unknown {
    const options = args[args.length - 1] as TrackedOptions;
    args.slice(0, -1).forEach((value, index) => {
      if (value === undefined) throw new TemplateDataProblem(argumentName(options.ids?.[index], `argument ${index + 1} of ${name}`), 'is missing');
    });
    for (const [key, value] of Object.entries(options.hash ?? {})) {
      if (value === undefined) throw new TemplateDataProblem(argumentName(options.hashIds?.[key], `${key}= of ${name}`), 'is missing');
    }
    return helper.apply(this, args);
  };
}

/** Marks errors from inside a partial with its file, so the renderer can point at the right line. */
export interface ErrorWithFiles {
  mailFiles?: string[];
}

/** A compiled partial that rejects undefined hash values and tags errors with its file. */
export function strictPartial(file: string, partial: Handlebars.TemplateDelegate): Handlebars.TemplateDelegate {
  return (context: unknown, options?: Handlebars.RuntimeOptions): string => {
    const tracked = options as (Handlebars.RuntimeOptions & { hash?: Record<string, unknown>; hashIds?: Record<string, unknown> }) | undefined;
    for (const [key, value] of Object.entries(tracked?.hash ?? {})) {
      if (value === undefined) throw new TemplateDataProblem(argumentName(tracked?.hashIds?.[key], key), 'is missing');
    }
    try {
      return partial(context, options);
    } catch (error) {
      if (typeof error === 'object' && error !== null) ((error as ErrorWithFiles).mailFiles ??= []).push(file);
      throw error;
    }
  };
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Zones already found valid: building a DateTimeFormat to check one costs more than the render it guards. */
const knownTimeZones = new Set<string>();

export function isTimeZone(timeZone: string): boolean {
  if (knownTimeZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    return false;
  }
  knownTimeZones.add(timeZone);
  return true;
}

/**
 * "14 March 2026, 17:00 CET" (or "14 March 2026" with format="date") in the given IANA time zone;
 * built from parts so the output does not depend on the ICU version's punctuation.
 */
export function formatInstant(value: unknown, timeZone: string, format: 'date' | 'datetime', variable = 'value'): string {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new TemplateDataProblem(variable, `is not a date (got ${JSON.stringify(value)})`);
  const key = `${timeZone}|${format}`;
  let formatter = formats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(format === 'datetime' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' } : {}),
    });
    formats.set(key, formatter);
  }
  const part = Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]));
  const day = `${part.day} ${part.month} ${part.year}`;
  return format === 'date' ? day : `${day}, ${part.hour}:${part.minute} ${part.timeZoneName}`;
}

/**
 * The helpers every template may use:
 * - `{{formatDate dueAt}}`, `{{formatDate dueAt "Europe/Amsterdam"}}`, `{{formatDate dueAt format="date"}}`:
 *   an ISO string or Date in the given time zone, else the render's time zone (`@timeZone`).
 * - `{{#if (eq step "resubmission")}}`: strict equality.
 * - `{{httpUrl link}}`: the link, refused unless it is an absolute http(s) URL (for href/src).
 * - `{{#each list}}`: the built-in, but a missing list is an error (guard optional ones with #if).
 */
export function registerHelpers(env: typeof Handlebars): void {
  const builtinEach = env.helpers.each as Helper;
  env.registerHelper('each', strictHelper('each', builtinEach));

  env.registerHelper(
    'formatDate',
    strictHelper('formatDate', (...args: unknown[]) => {
      const options = args.pop() as TrackedOptions;
      const [value, zoneArgument] = args;
      const timeZone = typeof zoneArgument === 'string' ? zoneArgument : ((options.data?.timeZone as string | undefined) ?? 'UTC');
      if (!isTimeZone(timeZone))
        throw new TemplateDataProblem(argumentName(options.ids?.[1], 'time zone'), `is not an IANA time zone (got ${JSON.stringify(timeZone)})`);
      const format = options.hash?.format ?? 'datetime';
      if (format !== 'date' && format !== 'datetime') throw new TemplateDataProblem('format', `must be "date" or "datetime" (got ${JSON.stringify(format)})`);
      return formatInstant(value, timeZone, format, argumentName(options.ids?.[0], 'date'));
    }),
  );

  env.registerHelper(
    'eq',
    strictHelper('eq', (a: unknown, b: unknown) => a === b),
  );

  env.registerHelper(
    'httpUrl',
    strictHelper('httpUrl', (...args: unknown[]) => {
      const options = args.pop() as TrackedOptions;
      const url = typeof args[0] === 'string' ? httpUrl(args[0]) : null;
      if (!url) throw new TemplateDataProblem(argumentName(options.ids?.[0], 'url'), `is not an absolute http(s) URL (got ${JSON.stringify(args[0])})`);
      return url;
    }),
  );
}
