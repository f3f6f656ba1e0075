import { startHarness, type Harness } from '../support/harness';

/**
 * Structural truths of the OpenAPI document the API serves, the one schemathesis fuzzes against
 * (scripts/schemathesis). These catch the usual ways a Nest document lies before a fuzzer has to:
 * a `string | null` that reflection turns into `object`, an inline object type without properties,
 * a response without a schema, an error status the shared machinery can give but nobody listed.
 */

type Schema = {
  $ref?: string;
  format?: string;
  pattern?: string;
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  required?: string[];
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Response = { description: string; content?: Record<string, { schema?: Schema }> };
type Operation = {
  operationId: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** The operations anyone may call without credentials; every other one must document 401. */
const PUBLIC = ['POST /auth/login', 'GET /health', 'GET /invitations/{token}', 'POST /invitations/{token}', 'GET /shared/designs/{token}'];
/** Anonymous callers are let in, and credentials are checked when sent. */
const OPTIONAL_AUTH = [
  'POST /applications',
  'GET /applications/{id}',
  'POST /applications/{id}/withdrawals',
  'POST /applications/{id}/resubmissions',
  'GET /applications/{id}/email-confirmations/{token}',
  'POST /applications/{id}/email-confirmations/{token}',
];
/** For people only: a bearer token, never an API key. */
const BEARER_ONLY = ['POST /auth/api-keys', 'GET /auth/api-keys', 'DELETE /auth/api-keys/{id}', 'POST /approvals/tasks/{taskId}/decisions'];

describe('the OpenAPI document (e2e)', () => {
  let h: Harness;
  let doc: Document;
  let operations: [string, Operation][];

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    doc = (await h.http.get('/docs-json').expect(200)).body as Document;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]),
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  const problems = (check: (name: string, operation: Operation) => string[]) => operations.flatMap(([name, operation]) => check(name, operation));
  const errorSchema = (response: Response | undefined) => response?.content?.['application/json']?.schema?.$ref;

  it('gives every operation a success response with a schema', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(
      problems((name, operation) => {
        const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
        if (success.length === 0) return [`${name}: no 2xx response`];
        return success
          .filter(([status, response]) => status !== '204' && !Object.values(response.content ?? {}).some((c) => c.schema))
          .map(([status]) => `${name}: ${status} has no schema`);
      }),
    ).toEqual([]);
  });

  it('documents 401 with security on every operation but the public ones, and only there; bearer alone where API keys are refused', () => {
    expect(
      problems((name, operation) => {
        if (PUBLIC.includes(name)) return operation.security?.length ? [`${name}: public, but declares security`] : [];
        const found: string[] = [];
        if (!operation.responses['401']) found.push(`${name}: no 401`);
        const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
        if (BEARER_ONLY.includes(name)) {
          if (schemes.join() !== 'bearer') found.push(`${name}: bearer-only, but security lists ${schemes.join(', ')}`);
        } else if (!schemes.includes('bearer') || !schemes.includes('api-key')) found.push(`${name}: security does not list bearer and api-key`);
        const anonymous = (operation.security ?? []).some((requirement) => Object.keys(requirement).length === 0);
        if (anonymous !== OPTIONAL_AUTH.includes(name)) found.push(`${name}: anonymous access ${anonymous ? 'declared' : 'missing'}`);
        return found;
      }),
    ).toEqual([]);
  });

  it('documents the errors of the shared machinery: 400 for input, 404 for path ids, 413 for bodies, 409 and 422 for Idempotency-Key', () => {
    expect(
      problems((name, operation) => {
        const parameters = operation.parameters ?? [];
        const expected = [
          ...(parameters.length || operation.requestBody ? ['400'] : []),
          ...(parameters.some((p) => p.in === 'path') ? ['404'] : []),
          ...(operation.requestBody ? ['413'] : []),
          ...(parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key') ? ['409', '422'] : []),
        ];
        return expected.filter((status) => !operation.responses[status]).map((status) => `${name}: no ${status}`);
      }),
    ).toEqual([]);
  });

  it('documents 403 on every operation that checks credentials, and names the roles where they are required', () => {
    expect(problems((name, operation) => (PUBLIC.includes(name) || operation.responses['403'] ? [] : [`${name}: no 403`]))).toEqual([]);
    const restricted = operations.filter(([, operation]) => /Roles: /.test(operation.description ?? '')).map(([name]) => name);
    expect(restricted).toEqual(expect.arrayContaining(['POST /catalog/items', 'POST /parties/{id}/moves', 'GET /price-books']));
    expect(restricted).not.toContain('GET /parties');
  });

  it('states the constraints the ValidationPipe enforces', () => {
    const party = doc.components.schemas.CreatePartyDto.properties!;
    expect(party.billingEmail).toMatchObject({ type: 'string', format: 'email', maxLength: 320 });
    expect(party.parentId).toMatchObject({ type: 'string', format: 'uuid' });
    expect(party.name).toMatchObject({ minLength: 2, maxLength: 200 });
    expect(doc.components.schemas.QuoteLineDto.properties!.quantity.pattern).toBeDefined();
    expect(new RegExp(doc.components.schemas.QuoteLineDto.properties!.quantity.pattern!).test('12.5')).toBe(true);
    expect(doc.components.schemas.CreateApiKeyDto.properties!.roles.items).toMatchObject({ enum: expect.arrayContaining(['operator-admin']) });
    const list = doc.paths['/parties'].get;
    expect(list.parameters!.find((p) => p.name === 'pageSize')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    expect(doc.paths['/parties/{id}'].get.parameters!.find((p) => p.name === 'id')!.schema).toMatchObject({ type: 'string', format: 'uuid' });
    const asOf = doc.paths['/catalog/items'].get.parameters!.find((p) => p.name === 'asOf')!.schema!;
    expect(new RegExp(asOf.pattern!).test('2026-12-01T00:00:00Z')).toBe(true);
    expect(new RegExp(asOf.pattern!).test('2026-12-01')).toBe(false);
  });

  it('documents 404 where the query or the body names a record by id', () => {
    expect(doc.paths['/quotes'].post.responses['404']).toBeDefined();
    expect(doc.paths['/client-overrides'].get.responses['404']).toBeDefined();
    expect(doc.paths['/client-overrides'].post.responses['404']).toBeDefined();
    expect(doc.paths['/auth/me'].get.responses['404']).toBeUndefined();
  });

  it('describes every 4xx with the one error body', () => {
    expect(
      problems((name, operation) =>
        Object.entries(operation.responses)
          .filter(([status]) => /^4\d\d$/.test(status))
          .filter(([, response]) => errorSchema(response) !== '#/components/schemas/ApiErrorBody')
          .map(([status]) => `${name}: ${status} is not an ApiErrorBody`),
      ),
    ).toEqual([]);
    expect(doc.components.schemas.ApiErrorBody.required).toEqual(expect.arrayContaining(['code', 'message']));
  });

  it('types every property: no bare object where a string, a nested view or a map is meant', () => {
    const found: string[] = [];
    const visit = (schema: Schema | undefined, where: string) => {
      if (!schema || schema.$ref) return;
      const composed = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
      if (composed.length) return composed.forEach((part, i) => visit(part, `${where}[${i}]`));
      if (!schema.type) found.push(`${where}: no type`);
      if (schema.type === 'object' && !schema.properties && schema.additionalProperties === undefined) found.push(`${where}: object without properties`);
      if (schema.type === 'array') {
        if (!schema.items) found.push(`${where}: array without items`);
        visit(schema.items, `${where}[]`);
      }
      for (const [name, property] of Object.entries(schema.properties ?? {})) visit(property, `${where}.${name}`);
      if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties, `${where}{}`);
    };
    for (const [name, schema] of Object.entries(doc.components.schemas)) visit(schema, name);
    for (const [name, operation] of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [type, content] of Object.entries(response.content ?? {})) visit(content.schema, `${name} ${status} ${type}`);
      }
      for (const parameter of operation.parameters ?? []) visit(parameter.schema, `${name} ${parameter.in} ${parameter.name}`);
    }
    expect(found).toEqual([]);
  });

  it('types every list as {items: [...], meta: PageMeta}', () => {
    const pages = Object.entries(doc.components.schemas).filter(([name]) => name.endsWith('Page'));
    expect(pages.length).toBeGreaterThan(5);
    for (const [name, schema] of pages) {
      expect({ name, items: schema.properties?.items?.type, of: schema.properties?.items?.items?.$ref !== undefined }).toEqual({
        name,
        items: 'array',
        of: true,
      });
      expect({ name, meta: schema.properties?.meta?.$ref }).toEqual({ name, meta: '#/components/schemas/PageMeta' });
    }
    const listsWithoutPage = problems((name, operation) => {
      const page = (operation.parameters ?? []).some((p) => p.in === 'query' && p.name === 'pageSize');
      const ref = operation.responses['200']?.content?.['application/json']?.schema?.$ref ?? '';
      return page && !ref.endsWith('Page') ? [`${name}: pages but does not answer a …Page`] : [];
    });
    expect(listsWithoutPage).toEqual([]);
  });

  describe('what the fuzzer found (scripts/schemathesis)', () => {
    it('refuses a page number whose row offset PostgreSQL cannot hold with a 400, not a 500', async () => {
      const token = await h.login('admin@wholesail.demo');
      const response = await h.http.get('/parties?page=2305843009213693953').set('Authorization', `Bearer ${token}`).expect(400);
      expect(response.body.fields).toEqual([{ field: 'page', problem: expect.stringContaining('must not be greater than') }]);
    });

    it('refuses null for a property the document does not declare nullable with a 400, not a 500', async () => {
      const token = await h.login('admin@wholesail.demo');
      const parties = await h.http.get('/parties?kind=reseller&pageSize=200').set('Authorization', `Bearer ${token}`).expect(200);
      const acme = (parties.body.items as { code: string; id: string }[]).find((party) => party.code === 'reseller-acme')!;
      const response = await h.http.patch(`/parties/${acme.id}`).set('Authorization', `Bearer ${token}`).send({ name: null, taxId: null }).expect(400);
      expect(response.body.fields).toEqual([{ field: 'name', problem: 'must not be null' }]);
    });

    it('answers an error of a route that serves HTML as JSON, labelled so', async () => {
      const response = await h.http.get('/applications/null%2Cnull/email-confirmations/0').expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body.code).toBe('BAD_REQUEST');
    });

    it('refuses a host tag filter that no tag can match (NUL, array syntax, capitals) with a 400 naming it, not a 500', async () => {
      const token = await h.login('admin@wholesail.demo');
      for (const tag of ['\u0000', 'a,b', '{ssd}', '"x"', 'SSD']) {
        const response = await h.http.get('/hosts').query({ tag }).set('Authorization', `Bearer ${token}`).expect(400);
        expect(response.body.fields).toEqual([{ field: 'tag', problem: expect.any(String) }]);
      }
      await h.http.get('/hosts').query({ tag: 'ssd' }).set('Authorization', `Bearer ${token}`).expect(200);
    });

    it('answers an invitation token that only looks like a UUID with 404, not a 500', async () => {
      const response = await h.http
        .post(`/invitations/${'-'.repeat(36)}.x`)
        .send({ password: 'long-enough-password' })
        .expect(404);
      expect(response.body.code).toBe('INVITATION_NOT_FOUND');
    });
  });
});
