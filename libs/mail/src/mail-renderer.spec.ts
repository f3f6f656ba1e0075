import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDomainError } from '@wholesail/domain';
import { DEFAULT_BRANDING } from './mail-branding';
import { DEFAULT_TEMPLATES_DIR, MailRenderer } from './mail-renderer';
import { MAIL_TEMPLATE_SAMPLES } from './mail-template.samples';
import { MAIL_TEMPLATE_NAMES, type MailTemplateData, type MailTemplateName } from './mail-templates';
import { MailErrorCode, MailTemplateError } from './mail.errors';

const HTML_TAG = /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i;

function renderError(render: () => unknown): MailTemplateError {
  try {
    render();
  } catch (error) {
    expect(error).toBeInstanceOf(MailTemplateError);
    return error as MailTemplateError;
  }
  throw new Error('expected rendering to fail');
}

function without<T extends object, K extends keyof T>(data: T, key: K): Omit<T, K> {
  const copy = { ...data };
  delete copy[key];
  return copy;
}

/** Lines of the sample's text values, to check that each shows up in the output (codes and dates are shown otherwise). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return /^\d{4}-\d\d-\d\dT/.test(value) ? [] : value.split('\n');
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, leaf]) => (key === 'step' ? [] : strings(leaf)));
  return [];
}

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/=/g, '&#x3D;');

describe('MailRenderer', () => {
  const renderer = new MailRenderer({ publicUrl: 'http://localhost:3000' });

  it('knows exactly the templates that MailTemplateData types', () => {
    expect(renderer.templateNames()).toEqual([...MAIL_TEMPLATE_NAMES].sort());
    expect(Object.keys(MAIL_TEMPLATE_SAMPLES).sort()).toEqual([...MAIL_TEMPLATE_NAMES].sort());
  });

  describe.each(MAIL_TEMPLATE_NAMES.map((name) => [name]))('%s', (name: MailTemplateName) => {
    const data = MAIL_TEMPLATE_SAMPLES[name];
    const mail = renderer.render(name, data as MailTemplateData[typeof name]);

    it('renders subject, HTML and text from the sample data', () => {
      expect(mail.subject.length).toBeGreaterThan(10);
      expect(mail.subject).not.toMatch(/[\r\n]|\s{2}/);
      expect(mail.html).toMatch(/^<!DOCTYPE html>/);
      expect(mail.html).toContain(`<title>${escapeHtml(mail.subject)}</title>`);
      expect(mail.html).toContain('name="viewport"');
      for (const part of [mail.subject, mail.html, mail.text]) expect(part).not.toMatch(/\{\{|\}\}/);
    });

    it('shows the data in both parts (escaped in HTML)', () => {
      for (const value of strings(data)) {
        expect(mail.text).toContain(value);
        expect(mail.html).toContain(escapeHtml(value));
      }
      expect(mail.text).toContain(`Hello ${data.recipientName},`);
    });

    it('has a text part without HTML', () => {
      expect(mail.text).not.toMatch(HTML_TAG);
      expect(mail.text).not.toMatch(/&(amp|lt|gt|quot|#x27);/);
      expect(mail.text).not.toMatch(/\n{3}/);
      expect(mail.text).toMatch(/This message was sent automatically/);
    });

    it('styles the HTML inline (no stylesheet to strip)', () => {
      expect(mail.html).not.toMatch(/<style|<link|class="/i);
      expect(mail.html).toMatch(/max-width:600px/);
    });
  });

  it('uses no triple-stash in any template, so all data is escaped', () => {
    const files = readdirSync(DEFAULT_TEMPLATES_DIR, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.hbs'));
    expect(files.length).toBeGreaterThanOrEqual(MAIL_TEMPLATE_NAMES.length * 3 + 2);
    for (const file of files) expect(`${file}: ${readFileSync(join(DEFAULT_TEMPLATES_DIR, file), 'utf8')}`).not.toMatch(/\{\{\{|\{\{&/);
  });

  it('escapes user data in the HTML part and keeps it as written in the text part', () => {
    const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const mail = renderer.render('changes-requested', {
      ...MAIL_TEMPLATE_SAMPLES['changes-requested'],
      applicantName: `Evil & Co ${hostile}`,
      comment: `Please fix ${hostile}`,
      requestedBy: '"Mallory" <mallory@example.com>',
    });
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('Evil &amp; Co &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).toContain('&quot;Mallory&quot; &lt;mallory@example.com&gt;');
    expect(mail.subject).toBe(`Changes needed to your application, Evil & Co ${hostile}`);
    expect(mail.text).toContain(`Please fix ${hostile}`);
  });

  describe('branding', () => {
    const branding = {
      displayName: 'Acme Cloud',
      logoUrl: 'https://cdn.acme.example/logo.png?v=2&size=l',
      primaryColor: '#7C3AED',
      accentColor: '#10b981',
      legalName: 'Acme Cloud Services B.V.',
      address: 'Keizersgracht 1\n1015 CC Amsterdam\nThe Netherlands',
      websiteUrl: 'https://acme.example',
      supportEmail: 'support@acme.example',
    };

    it('puts the sender’s logo, colours, name and footer into the mail', () => {
      const mail = renderer.render('welcome', MAIL_TEMPLATE_SAMPLES.welcome, branding);
      expect(mail.html).toContain('<img src="https://cdn.acme.example/logo.png?v&#x3D;2&amp;size&#x3D;l" alt="Acme Cloud"');
      expect(mail.html).toContain('background-color:#7c3aed');
      expect(mail.html).toContain('background-color:#10b981');
      // White reads better than black on violet.
      expect(mail.html).toMatch(/<a href="[^"]+" target="_blank" style="[^"]*color:#ffffff/);
      expect(mail.html).toContain('Kind regards,<br>Acme Cloud');
      expect(mail.html).toContain('Acme Cloud Services B.V.</strong><br>Keizersgracht 1<br>1015 CC Amsterdam<br>The Netherlands');
      expect(mail.html).toContain('href="mailto:support@acme.example"');
      expect(mail.html).toContain('href="https://acme.example/"');
      expect(mail.html).not.toContain(DEFAULT_BRANDING.primaryColor);
      expect(mail.subject).toBe('Welcome to Acme Cloud, Acme Cloud Services B.V.');
      expect(mail.text).toMatch(/^Acme Cloud\n=+\n/);
      expect(mail.text).toContain(
        'Acme Cloud Services B.V.\nKeizersgracht 1\n1015 CC Amsterdam\nThe Netherlands\nhttps://acme.example/\nQuestions? Write to support@acme.example.',
      );
    });

    it('falls back to Wholesail’s branding when there is none', () => {
      for (const none of [undefined, null, {}]) {
        const mail = renderer.render('welcome', MAIL_TEMPLATE_SAMPLES.welcome, none);
        expect(mail.html).not.toContain('<img');
        expect(mail.html).toContain(`background-color:${DEFAULT_BRANDING.primaryColor}`);
        expect(mail.html).toContain(`background-color:${DEFAULT_BRANDING.accentColor}`);
        expect(mail.html).toMatch(/<span [^>]*>Wholesail<\/span>/);
        expect(mail.html).toContain('href="http://localhost:3000/"'); // PUBLIC_URL in the footer
        expect(mail.subject).toBe('Welcome to Wholesail, Acme Cloud Services B.V.');
        expect(mail.text).toMatch(/^Wholesail\n/);
      }
    });

    it('drops values that could escape their attribute, and picks dark text on a light colour', () => {
      const mail = renderer.render('welcome', MAIL_TEMPLATE_SAMPLES.welcome, {
        displayName: 'Pale',
        logoUrl: 'javascript:alert(1)',
        primaryColor: '#fde68a',
        accentColor: 'red;background-image:url(https://evil.example/x)',
        websiteUrl: 'data:text/html,hi',
        supportEmail: 'not an address',
      });
      expect(mail.html).not.toContain('javascript:');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).not.toContain('evil.example');
      expect(mail.html).not.toContain('data:text');
      expect(mail.html).not.toContain('mailto:');
      expect(mail.html).toContain(`background-color:${DEFAULT_BRANDING.accentColor}`);
      expect(mail.html).toMatch(/<span [^>]*color:#111827;">Pale<\/span>/);
    });
  });

  describe('strict data', () => {
    it('fails with MAIL_TEMPLATE_DATA naming the template, the variable and where it is used', () => {
      const error = renderError(() => renderer.render('welcome', without(MAIL_TEMPLATE_SAMPLES.welcome, 'recipientName') as MailTemplateData['welcome']));
      expect(error.code).toBe(MailErrorCode.TemplateData);
      expect(error.template).toBe('welcome');
      expect(error.variable).toBe('recipientName');
      expect(error.part).toBe('html');
      expect(error.message).toBe(
        'Mail template "welcome" (partials/greeting.html.hbs line 1) uses "recipientName", which is missing; the data has partnerName, invitationUrl, invitationExpiresAt, loginEmail',
      );
      expect(error.fields).toEqual([{ field: 'recipientName', problem: error.message }]);
      // A DomainError: activities turn it into a non-retryable failure.
      expect(isDomainError(error)).toBe(true);
    });

    it('finds the line of a variable inside a block passed to a partial', () => {
      const error = renderError(() =>
        renderer.render('changes-requested', without(MAIL_TEMPLATE_SAMPLES['changes-requested'], 'comment') as MailTemplateData['changes-requested']),
      );
      expect(error.variable).toBe('comment');
      expect(error.message).toContain('(changes-requested/html.hbs line 3)');
    });

    it('names a variable missing from the subject', () => {
      const error = renderError(() =>
        renderer.render('approval-requested', without(MAIL_TEMPLATE_SAMPLES['approval-requested'], 'taskTitle') as MailTemplateData['approval-requested']),
      );
      expect(error).toMatchObject({ code: MailErrorCode.TemplateData, variable: 'taskTitle', part: 'subject' });
      expect(error.message).toContain('approval-requested/subject.hbs line 1');
    });

    it.each([
      ['invitationUrl', 'a helper argument given to a partial'],
      ['invitationExpiresAt', 'a formatDate argument'],
    ] as const)('also catches %s (%s), which plain strict mode would let through', (variable, _how) => {
      const error = renderError(() => renderer.render('welcome', without(MAIL_TEMPLATE_SAMPLES.welcome, variable) as MailTemplateData['welcome']));
      expect(error).toMatchObject({ code: MailErrorCode.TemplateData, template: 'welcome', variable });
      expect(error.message).toContain(`"${variable}" is missing`);
    });

    it('renders optional fields only when present', () => {
      const withReason = renderer.render('withdrawn', MAIL_TEMPLATE_SAMPLES.withdrawn);
      const withoutReason = renderer.render('withdrawn', without(MAIL_TEMPLATE_SAMPLES.withdrawn, 'reason'));
      expect(withReason.text).toContain('Reason given: We signed with another distributor.');
      expect(withoutReason.text).not.toContain('Reason given');
      const noProblems = renderer.render('rejected', { ...MAIL_TEMPLATE_SAMPLES.rejected, problems: [] });
      expect(noProblems.text).not.toContain('Our checks found');
      expect(renderer.render('rejected', MAIL_TEMPLATE_SAMPLES.rejected).text).toContain(
        'Our checks found these problems:\n- taxId: is not a valid Dutch VAT number\n- email: is already used by another partner',
      );
    });

    it('branches on values with eq', () => {
      const own = renderer.render('expired', { ...MAIL_TEMPLATE_SAMPLES.expired, step: 'resubmission' });
      const review = renderer.render('expired', { ...MAIL_TEMPLATE_SAMPLES.expired, step: 'operator' });
      expect(own.text).toContain('we did not receive the requested changes in time');
      expect(review.text).toContain('its review could not be completed in time');
    });

    it('refuses a link that is not http(s)', () => {
      const error = renderError(() => renderer.render('welcome', { ...MAIL_TEMPLATE_SAMPLES.welcome, invitationUrl: 'javascript:alert(1)' }));
      expect(error).toMatchObject({ code: MailErrorCode.TemplateData, variable: 'invitationUrl' });
    });

    it('refuses a date that is not one', () => {
      const error = renderError(() => renderer.render('approval-requested', { ...MAIL_TEMPLATE_SAMPLES['approval-requested'], dueAt: 'next Tuesday' }));
      expect(error).toMatchObject({ code: MailErrorCode.TemplateData, variable: 'dueAt' });
      expect(error.message).toContain('"dueAt" is not a date (got "next Tuesday")');
    });

    it('refuses data that is not an object', () => {
      expect(renderError(() => renderer.render('welcome', null as unknown as MailTemplateData['welcome'])).code).toBe(MailErrorCode.TemplateData);
    });
  });

  it('fails with MAIL_UNKNOWN_TEMPLATE for a template it does not have', () => {
    const error = renderError(() => renderer.render('invoice-overdue', {}));
    expect(error.code).toBe(MailErrorCode.UnknownTemplate);
    expect(error.template).toBe('invoice-overdue');
    expect(error.message).toMatch(/^Unknown mail template "invoice-overdue" \(known: application-exists, application-received, /);
    expect(renderer.has('invoice-overdue')).toBe(false);
    expect(renderer.has('welcome')).toBe(true);
  });

  describe('dates', () => {
    const data = { ...MAIL_TEMPLATE_SAMPLES['approval-requested'], openedAt: '2026-01-15T08:05:00Z', dueAt: new Date('2026-07-01T21:30:00Z') };

    it('formats in UTC by default', () => {
      const mail = renderer.render('approval-requested', data);
      expect(mail.text).toContain('Waiting since: 15 January 2026, 08:05 UTC');
      expect(mail.text).toContain('Decide by: 1 July 2026, 21:30 UTC');
    });

    it('formats in the renderer’s time zone (OPERATOR_TIMEZONE) or the recipient’s', () => {
      const amsterdam = new MailRenderer({ defaultTimeZone: 'Europe/Amsterdam' }).render('approval-requested', data);
      expect(amsterdam.text).toContain('Waiting since: 15 January 2026, 09:05 CET');
      expect(amsterdam.text).toContain('Decide by: 1 July 2026, 23:30 CEST');
      expect(amsterdam.html).toContain('1 July 2026, 23:30 CEST');
      const kolkata = renderer.render('approval-requested', data, null, { timeZone: 'Asia/Kolkata' });
      expect(kolkata.text).toContain('Decide by: 2 July 2026, 03:00 GMT+5:30');
    });

    it('refuses a time zone that does not exist', () => {
      expect(renderError(() => renderer.render('approval-requested', data, null, { timeZone: 'Mars/Olympus' }))).toMatchObject({ variable: 'timeZone' });
      expect(() => new MailRenderer({ defaultTimeZone: 'Mars/Olympus' })).toThrow('"Mars/Olympus" is not an IANA time zone');
    });
  });

  describe('with templates of its own', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'mail-templates-'));
      cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function addTemplate(name: string, files: { subject?: string; html: string; text?: string }): MailRenderer {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'subject.hbs'), files.subject ?? 'Test');
      writeFileSync(join(dir, name, 'html.hbs'), files.html);
      writeFileSync(join(dir, name, 'text.hbs'), files.text ?? files.html);
      return new MailRenderer({ templatesDir: dir });
    }

    it('formats in a time zone the template names, and as a date only', () => {
      const own = addTemplate('zones', {
        html: '{{formatDate dueAt "Europe/Amsterdam"}} / {{formatDate dueAt "America/New_York" format="date"}} / {{formatDate dueAt}}',
      });
      const mail = own.render('zones', { dueAt: '2026-03-01T03:30:00Z' });
      expect(mail.text).toContain('1 March 2026, 04:30 CET / 28 February 2026 / 1 March 2026, 03:30 UTC');
    });

    it('treats a missing list in #each as missing data, and an unknown time zone in a template too', () => {
      const own = addTemplate('lists', { html: '{{#each items}}{{this}}{{/each}}{{#if zone}}{{formatDate at zone}}{{/if}}' });
      expect(own.render('lists', { items: ['a', 'b'] }).text).toContain('ab');
      expect(renderError(() => own.render('lists', {}))).toMatchObject({ variable: 'items' });
      expect(renderError(() => own.render('lists', { items: [], at: '2026-01-01T00:00:00Z', zone: 'Nowhere/Here' }))).toMatchObject({ variable: 'zone' });
    });

    it('names the full path of a missing nested variable', () => {
      const own = addTemplate('nested', { html: '<p>\n  {{order.customer.name}}\n</p>' });
      expect(renderError(() => own.render('nested', { order: { customer: {} } }))).toMatchObject({ variable: 'order.customer.name' });
      expect(renderError(() => own.render('nested', { order: {} })).message).toContain('(nested/html.hbs line 2)');
    });

    it('fails at construction when a template does not parse, naming the file', () => {
      expect(() => addTemplate('broken', { html: '{{#if x}}never closed' })).toThrow(/^Mail template broken\/html\.hbs does not parse: /);
    });

    it('fails at construction when a template lacks a part', () => {
      mkdirSync(join(dir, 'partial-template'));
      writeFileSync(join(dir, 'partial-template', 'subject.hbs'), 'x');
      expect(() => new MailRenderer({ templatesDir: dir })).toThrow(/partial-template\/html\.hbs/);
    });
  });
});
