import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { type MailBranding, resolveBranding } from './mail-branding';
import { MailErrorCode, MailTemplateError, type MailTemplatePart } from './mail.errors';
import { type ErrorWithFiles, isTimeZone, registerHelpers, strictPartial, TemplateDataProblem } from './mail-helpers';
import type { MailTemplateDataFor } from './mail-templates';

/**
 * Beside this file in the sources (tests) and in dist/ (production), where the build copies it.
 * Layout of the folder:
 *   layouts/main.html.hbs, layouts/main.text.hbs   the frame; the rendered template is `body`
 *   partials/<name>.html.hbs, partials/<name>.text.hbs   `{{> name}}` in the matching flavour
 *   <template>/subject.hbs, html.hbs, text.hbs   one folder per template
 */
export const DEFAULT_TEMPLATES_DIR = join(__dirname, 'templates');

export interface MailRendererOptions {
  templatesDir?: string;
  /** IANA zone `formatDate` uses unless a render or the template says otherwise; UTC by default. */
  defaultTimeZone?: string;
  /** Footer link when the branding has no website (PUBLIC_URL). */
  publicUrl?: string;
}

export interface MailRenderOptions {
  /** The recipient's IANA time zone, for `formatDate` without an explicit zone. */
  timeZone?: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Flavour = 'html' | 'text';

interface Part {
  /** Relative to the templates folder, for error messages. */
  file: string;
  render: Handlebars.TemplateDelegate;
}

interface CompiledTemplate {
  subject: Part;
  html: Part;
  text: Part;
}

const FOLDERS_THAT_ARE_NOT_TEMPLATES = new Set(['layouts', 'partials']);

/**
 * Renders e-mails from the Handlebars templates in one folder. Everything is read and parsed once,
 * when the renderer is built, so a broken template fails the boot, not the first send.
 *
 * HTML is escaped by Handlebars' `{{ }}` (templates never use `{{{ }}}`); subject and text are
 * plain text and not escaped. Templates are strict: a variable the data lacks is an error
 * (MAIL_TEMPLATE_DATA naming template, variable and line), never an empty gap in a sent mail;
 * optional fields are guarded with `{{#if}}`.
 */
export class MailRenderer {
  readonly templatesDir: string;
  private readonly defaultTimeZone: string;
  private readonly publicUrl: string | undefined;
  private readonly envs: Record<Flavour, typeof Handlebars> = { html: Handlebars.create(), text: Handlebars.create() };
  private readonly templates = new Map<string, CompiledTemplate>();
  private readonly layouts: Record<Flavour, Part>;
  /** Sources by relative file, to show the exact path of a missing variable. */
  private readonly sources = new Map<string, string>();

  constructor(options: MailRendererOptions = {}) {
    this.templatesDir = options.templatesDir ?? DEFAULT_TEMPLATES_DIR;
    this.defaultTimeZone = options.defaultTimeZone ?? 'UTC';
    if (!isTimeZone(this.defaultTimeZone)) throw new Error(`MailRenderer: "${this.defaultTimeZone}" is not an IANA time zone`);
    this.publicUrl = options.publicUrl;

    for (const flavour of ['html', 'text'] as const) {
      registerHelpers(this.envs[flavour]);
    }
    this.registerPartials();
    this.layouts = { html: this.compile('html', 'layouts/main.html.hbs'), text: this.compile('text', 'layouts/main.text.hbs') };
    for (const entry of readdirSync(this.templatesDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || FOLDERS_THAT_ARE_NOT_TEMPLATES.has(entry.name)) continue;
      this.templates.set(entry.name, {
        subject: this.compile('text', `${entry.name}/subject.hbs`),
        html: this.compile('html', `${entry.name}/html.hbs`),
        text: this.compile('text', `${entry.name}/text.hbs`),
      });
    }
  }

  /** The names `render` accepts, sorted. */
  templateNames(): string[] {
    return [...this.templates.keys()].sort();
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  /**
   * Renders one mail. `branding` is the sender's (the issuer of a document, the sponsor of an
   * application); Wholesail's defaults fill what it lacks.
   */
  render<N extends string>(name: N, data: MailTemplateDataFor<N>, branding?: MailBranding | null, options: MailRenderOptions = {}): RenderedMail {
    return this.renderParts(name, data, branding, options, true);
  }

  /** The subject alone (cheap: no HTML, no layout), e.g. to record a mail before building it. */
  renderSubject<N extends string>(name: N, data: MailTemplateDataFor<N>, branding?: MailBranding | null, options: MailRenderOptions = {}): string {
    return this.renderParts(name, data, branding, options, false).subject;
  }

  private renderParts(name: string, data: unknown, branding: MailBranding | null | undefined, options: MailRenderOptions, withBody: boolean): RenderedMail {
    const template = this.templates.get(name);
    if (!template) {
      throw new MailTemplateError(MailErrorCode.UnknownTemplate, `Unknown mail template "${name}" (known: ${this.templateNames().join(', ')})`, name);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new MailTemplateError(MailErrorCode.TemplateData, `Mail template "${name}" needs an object of data`, name);
    }
    const timeZone = options.timeZone ?? this.defaultTimeZone;
    if (!isTimeZone(timeZone)) {
      throw new MailTemplateError(MailErrorCode.TemplateData, `Mail template "${name}": time zone "${timeZone}" is not an IANA time zone`, name, 'timeZone');
    }
    const runtime: Handlebars.RuntimeOptions = { data: { brand: resolveBranding(branding, { websiteUrl: this.publicUrl }), timeZone } };
    const keys = Object.keys(data);
    const run = (part: Part, partName: MailTemplatePart, context: object): string => {
      try {
        return part.render(context, runtime);
      } catch (error) {
        throw this.templateError(name, part, partName, keys, error);
      }
    };

    const subject = run(template.subject, 'subject', data).replace(/\s+/g, ' ').trim();
    if (!withBody) return { subject, html: '', text: '' };
    const htmlBody = run(template.html, 'html', data);
    const textBody = run(template.text, 'text', data);
    // The body is HTML this renderer just produced (with the data escaped), so it goes in as is.
    const html = run(this.layouts.html, 'html', { subject, body: new Handlebars.SafeString(htmlBody) });
    const text = tidyText(run(this.layouts.text, 'text', { subject, body: textBody.trim() }));
    return { subject, html, text };
  }

  private registerPartials(): void {
    const dir = join(this.templatesDir, 'partials');
    for (const file of readdirSync(dir)) {
      const match = /^(.+)\.(html|text)\.hbs$/.exec(file);
      if (!match) continue;
      const [, name, flavour] = match as unknown as [string, string, Flavour];
      const part = this.compile(flavour, `partials/${file}`);
      this.envs[flavour].registerPartial(name, strictPartial(part.file, part.render));
    }
  }

  private compile(flavour: Flavour, file: string): Part {
    const source = readFileSync(join(this.templatesDir, file), 'utf8');
    try {
      // compile() is lazy; parsing here surfaces syntax errors at construction.
      Handlebars.parse(source);
    } catch (error) {
      throw new Error(`Mail template ${file} does not parse: ${(error as Error).message}`);
    }
    this.sources.set(file, source);
    const options = { strict: true, trackIds: true, noEscape: flavour === 'text' } as CompileOptions;
    return { file, render: this.envs[flavour].compile(source, options) };
  }

  private templateError(name: string, part: Part, partName: MailTemplatePart, keys: string[], error: unknown): unknown {
    const has = keys.length ? `the data has ${keys.join(', ')}` : 'the data is empty';
    if (error instanceof TemplateDataProblem) {
      return new MailTemplateError(
        MailErrorCode.TemplateData,
        `Mail template "${name}" (${partName}): ${error.message}; ${has}`,
        name,
        error.variable,
        partName,
      );
    }
    const missing = error instanceof Error ? /^"(.+?)" not defined in /.exec(error.message) : null;
    if (!missing) return error;
    const located = this.locate(missing[1], [...((error as ErrorWithFiles).mailFiles ?? []), part.file], error as HandlebarsLocation);
    const variable = located?.path ?? missing[1];
    const where = located ? `${located.file} line ${located.line}` : partName;
    return new MailTemplateError(
      MailErrorCode.TemplateData,
      `Mail template "${name}" (${where}) uses "${variable}", which is missing; ${has}`,
      name,
      variable,
      partName,
    );
  }

  /**
   * Handlebars reports the name and position of a failed strict lookup, but not the file (the
   * template, a partial, or a block passed into a partial): the first candidate whose source has
   * that name at that position is the one.
   */
  private locate(name: string, files: string[], loc: HandlebarsLocation): { file: string; line: number; path: string } | undefined {
    if (!loc.lineNumber || loc.column === undefined) return undefined;
    for (const file of files) {
      const line = this.sources.get(file)?.split(/\r?\n/)[loc.lineNumber - 1];
      if (line === undefined) continue;
      const path = line.slice(loc.column, loc.endLineNumber === loc.lineNumber ? loc.endColumn : undefined).match(/^[@\w./-]+/)?.[0];
      if (path && (path === name || path.endsWith(`.${name}`) || path.endsWith(`/${name}`))) return { file, line: loc.lineNumber, path };
    }
    return undefined;
  }
}

/** `trackIds` is a real compiler option that Handlebars' typings omit. */
type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]> & { trackIds?: boolean };

interface HandlebarsLocation {
  lineNumber?: number;
  column?: number;
  endLineNumber?: number;
  endColumn?: number;
}

/** Plain text without trailing spaces or runs of blank lines (left by `{{#if}}` blocks). */
function tidyText(text: string): string {
  return `${text
    .split(/\r?\n/)
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
