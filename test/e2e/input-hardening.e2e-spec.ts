import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';

/**
 * The validation layer refuses what no handler should ever see: control characters anywhere in
 * the path, the query or the body (walking every operation of the OpenAPI document), oversized and
 * deeply nested bodies, and instants outside the years 1970–9999. Also the security headers and
 * the switch that turns the API documentation off.
 */
describe('input hardening (e2e)', () => {
  let h: Harness;
  let operator: string;
  let architect: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    operator = await h.login('admin@wholesail.demo');
    architect = await h.login('architect@acme.demo');
  });

  afterAll(async () => {
    await h?.close();
  });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  type Schema = {
    $ref?: string;
    type?: string;
    format?: string;
    enum?: unknown[];
    properties?: Record<string, Schema>;
    required?: string[];
    items?: Schema;
    allOf?: Schema[];
    oneOf?: Schema[];
    anyOf?: Schema[];
    example?: unknown;
  };
  type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema?: Schema };
  type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; security?: unknown[] };

  describe('control characters', () => {
    const NUL = 'a\u0000b';

    /** One request per string the operation takes, with a NUL in it, and the field the 400 must name. */
    interface Case {
      label: string;
      method: string;
      url: string;
      body?: unknown;
      field: string;
      public: boolean;
    }

    function resolve(doc: { components: { schemas: Record<string, Schema> } }, schema: Schema | undefined): Schema | undefined {
      if (!schema) return undefined;
      if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
      if (schema.allOf?.length) {
        const parts = schema.allOf.map((s) => resolve(doc, s) ?? {});
        return {
          type: 'object',
          properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
          required: parts.flatMap((p) => p.required ?? []),
        };
      }
      if (schema.oneOf?.length) return resolve(doc, schema.oneOf[0]);
      if (schema.anyOf?.length) return resolve(doc, schema.anyOf[0]);
      return schema;
    }

    /** A harmless value of the schema's shape: unknown ids, so nothing is found or created. */
    function sample(doc: Parameters<typeof resolve>[0], raw: Schema | undefined, depth = 0): unknown {
      const schema = resolve(doc, raw);
      if (!schema || depth > 6) return 'x';
      if (schema.enum?.length) return schema.enum[0];
      if (schema.type === 'object' || schema.properties) {
        const out: Record<string, unknown> = {};
        for (const [name, prop] of Object.entries(schema.properties ?? {})) out[name] = sample(doc, prop, depth + 1);
        return out;
      }
      if (schema.type === 'array') return [sample(doc, schema.items, depth + 1)];
      if (schema.type === 'integer' || schema.type === 'number') return 1;
      if (schema.type === 'boolean') return false;
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      return typeof schema.example === 'string' ? schema.example : 'x';
    }

    /** Every string leaf of a sample body, as the field path the API names (`lines[0].sku`). */
    function stringPaths(value: unknown, prefix = ''): string[] {
      if (typeof value === 'string') return [prefix];
      if (Array.isArray(value)) return value.flatMap((item, i) => stringPaths(item, `${prefix}[${i}]`));
      if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringPaths(item, prefix ? `${prefix}.${key}` : key));
      return [];
    }

    function withValueAt(value: unknown, path: string, replacement: string): unknown {
      const copy = structuredClone(value) as Record<string, unknown>;
      const steps = path.match(/[^.[\]]+/g)!;
      let cursor: Record<string, unknown> = copy;
      for (const step of steps.slice(0, -1)) cursor = cursor[step] as Record<string, unknown>;
      cursor[steps[steps.length - 1]] = replacement;
      return copy;
    }

    async function casesFromOpenApi(): Promise<Case[]> {
      const doc = (await h.http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, Operation>> } & Parameters<typeof resolve>[0];
      const cases: Case[] = [];
      for (const [template, item] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
          const params = operation.parameters ?? [];
          const isPublic = !operation.security || operation.security.length === 0;
          const pathValues = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, String(sample(doc, p.schema))]));
          const url = (values: Record<string, string>, query = '') =>
            template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name])) + (query ? `?${query}` : '');
          const content = operation.requestBody?.content?.['application/json'];
          const body = content ? sample(doc, content.schema) : undefined;
          const label = `${method.toUpperCase()} ${template}`;
          for (const p of params.filter((p) => p.in === 'path'))
            cases.push({ label, method, url: url({ ...pathValues, [p.name]: NUL }), body, field: p.name, public: isPublic });
          for (const p of params.filter((p) => p.in === 'query')) {
            const schema = resolve(doc, p.schema);
            if (schema?.type && schema.type !== 'string') continue;
            cases.push({
              label,
              method,
              url: url(pathValues, `${encodeURIComponent(p.name)}=${encodeURIComponent(NUL)}`),
              body,
              field: p.name,
              public: isPublic,
            });
          }
          for (const path of stringPaths(body))
            cases.push({ label, method, url: url(pathValues), body: withValueAt(body, path, NUL), field: path, public: isPublic });
        }
      }
      return cases;
    }

    it('refuses a NUL in every string of every operation with a 400 naming the field, never a 500', async () => {
      const cases = await casesFromOpenApi();
      // The walk must really cover the API: path, query and nested body fields alike.
      expect(cases.length).toBeGreaterThan(100);
      expect(cases.some((c) => c.field.includes('['))).toBe(true);
      const failures: string[] = [];
      const send = async (c: Case, token: string | undefined) => {
        let req = (h.http as unknown as Record<string, (url: string) => import('supertest').Test>)[c.method](c.url);
        if (token) req = req.set(auth(token));
        return c.body === undefined ? await req : await req.send(c.body as object);
      };
      for (const c of cases) {
        const callers = c.public ? [undefined, operator] : [operator];
        for (const token of callers) {
          let res = await send(c, token);
          let who = token ? 'operator' : 'public';
          // Operations for a reseller's own staff (designs) refuse the operator's role before any
          // input is read: ask as the seeded architect instead, so the walk reaches their validation.
          if (res.status === 403 && res.body.code === 'ROLE_REQUIRED') {
            res = await send(c, architect);
            who = 'architect';
          }
          const fields = (res.body?.fields ?? []) as { field: string }[];
          if (res.status !== 400 || res.body.code !== 'VALIDATION_FAILED' || !fields.some((f) => f.field === c.field))
            failures.push(`${c.label} [${c.field}] ${who} → ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('refuses other C0 controls and DEL, also in object keys and arrays, and lets TAB, LF and CR through', async () => {
      const bell = await h.http.post('/auth/login').send({ email: 'a@b.demo', password: 'x\u0007y' }).expect(400);
      expect(bell.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'password', problem: expect.stringMatching(/control character/) }] });
      const del = await h.http.post('/auth/login').send({ email: 'a@b.demo', password: 'x\u007fy' }).expect(400);
      expect(del.body.fields[0].field).toBe('password');
      const key = await h.http
        .post('/auth/login')
        .send({ email: 'a@b.demo', password: 'x', ['bad\u0001key']: 1 })
        .expect(400);
      expect(key.body.fields[0].field).toBe('bad\\u0001key');
      const nested = await h.http
        .post('/quotes')
        .set(auth(operator))
        .send({
          clientId: randomUUID(),
          lines: [
            { sku: 'VCPU', quantity: '1' },
            { sku: 'R\u0000AM', quantity: '1' },
          ],
        })
        .expect(400);
      expect(nested.body.fields[0].field).toBe('lines[1].sku');
      const queryArray = await h.http.get('/parties?q=ok&q=b%00d').set(auth(operator)).expect(400);
      expect(queryArray.body.fields[0].field).toBe('q[1]');
      // Refused before login throttling reads the e-mail to count the account.
      const throttled = await h.http.post('/auth/login').send({ email: 'a\u0000@b.demo', password: 'x' }).expect(400);
      expect(throttled.body.fields[0].field).toBe('email');
      // Whitespace controls are ordinary text: this is a wrong password, not a malformed request.
      await h.http.post('/auth/login').send({ email: 'nobody@nowhere.demo', password: 'tab\there\r\nnewline' }).expect(401);
    });
  });

  describe('limits and odd values', () => {
    it('answers an oversized body with 413 and the usual error body', async () => {
      const big = 'x'.repeat(1024 * 1024 + 10);
      const res = await h.http
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ email: 'a@b.demo', password: big }))
        .expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers a deeply nested body with 400 naming the problem', async () => {
      const depth = 5000;
      const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const res = await h.http.post('/quotes').set(auth(operator)).set('Content-Type', 'application/json').send(deep).expect(400);
      expect(res.body.code).toBe('BODY_TOO_DEEP');
      expect(res.body.message).toMatch(/nest/);
      const arrays = '['.repeat(depth) + ']'.repeat(depth);
      const res2 = await h.http.post('/quotes').set(auth(operator)).set('Content-Type', 'application/json').send(`{"lines":${arrays}}`).expect(400);
      expect(res2.body.code).toBe('BODY_TOO_DEEP');
      // Brackets inside strings are text, not nesting.
      const text = await h.http
        .post('/auth/login')
        .send({ email: 'nobody@nowhere.demo', password: '{'.repeat(100) })
        .expect(401);
      expect(text.body.code).toBe('UNAUTHENTICATED');
    });

    it('refuses instants outside the years 1970–9999 with a 400 naming the field, in bodies and queries', async () => {
      for (const asOf of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '+010000-01-01T00:00:00Z']) {
        const res = await h.http.get(`/catalog/items?asOf=${encodeURIComponent(asOf)}`).set(auth(operator));
        expect([res.status, res.body.fields?.[0]?.field]).toEqual([400, 'asOf']);
      }
      const quote = await h.http
        .post('/quotes')
        .set(auth(operator))
        .send({ clientId: randomUUID(), asOf: '0000-06-01T00:00:00Z', lines: [{ sku: 'VCPU', quantity: '1' }] })
        .expect(400);
      expect(quote.body.fields).toEqual([{ field: 'asOf', problem: expect.stringMatching(/1970.*9999/) }]);
      const parties = await h.http.get('/parties?pageSize=1').set(auth(operator)).expect(200);
      const agreements = await h.http.get(`/parties/${parties.body.items[0].id}/agreements?inForceAt=0000-01-01T00:00:00Z`).set(auth(operator));
      expect([agreements.status, agreements.body.fields?.[0]?.field]).toEqual([400, 'inForceAt']);
      // The edges themselves are fine.
      await h.http
        .get(`/catalog/items?asOf=${encodeURIComponent('1970-01-01T00:00:00Z')}`)
        .set(auth(operator))
        .expect(200);
      await h.http
        .get(`/catalog/items?asOf=${encodeURIComponent('9999-12-31T23:59:59Z')}`)
        .set(auth(operator))
        .expect(200);
    });
  });

  describe('headers and documentation', () => {
    it('sends security headers and no X-Powered-By', async () => {
      const res = await h.http.get('/health');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });

    it('keeps the Swagger UI page working under its content security policy', async () => {
      const page = await h.http.get('/docs').expect(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      // Every script the page runs is a same-origin file the policy allows, and each one loads.
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
      const scripts = [...page.text.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of scripts) {
        expect(src).not.toMatch(/^(https?:)?\/\//);
        await h.http.get(new URL(src, 'http://host/docs').pathname).expect(200);
      }
      const styles = [...page.text.matchAll(/<link[^>]*\bhref="([^"]+\.css)"/g)].map((m) => m[1]);
      for (const href of styles) await h.http.get(new URL(href, 'http://host/docs').pathname).expect(200);
    });

    it('turns /docs and /docs-json off with DOCS_ENABLED=false', async () => {
      const off = await startHarness({ worker: false, env: { DOCS_ENABLED: 'false' } });
      try {
        await off.http.get('/docs').expect(404);
        await off.http.get('/docs-json').expect(404);
        await off.http.get('/health').expect(200);
      } finally {
        await off.close();
      }
    });
  });
});
