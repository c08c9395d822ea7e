import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, problemStatusesOf } from '../../../../shared/http/openapi.ts';
import { STATUS_BY_CODE } from '../../../../shared/http/problem.ts';
import type { RouteRecord } from '../../../../shared/http/route-record.ts';
import { ROUTE_RECORDS } from '../../../../shared/http/route-table.ts';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: unknown;
}
interface Response {
  $ref?: string;
  description: string;
  headers?: object;
  content?: Record<string, { schema: Record<string, unknown> }>;
}
interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, Response>;
}
type Document = ReturnType<typeof buildOpenApiDocument>;

const document = buildOpenApiDocument('1.2.3');
// The events feed and webhooks are registered by another change: the generator must take any record.

const operationIn = (doc: Document, routeKey: string): Operation => {
  const [method = '', path = ''] = routeKey.split(' ');
  const operation = (doc.paths[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];
  if (!operation) throw new Error(`no operation for ${routeKey}`);
  return operation;
};
const operationOf = (routeKey: string) => operationIn(document, routeKey);

/** A response as the reader sees it: a `components.responses` ref followed. */
const resolvedResponse = (doc: Document, response: Response | undefined): Response => {
  if (!response?.$ref) return response as Response;
  const name = response.$ref.replace('#/components/responses/', '');
  return (doc.components.responses as Record<string, Response>)[name] as Response;
};

const refsIn = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(refsIn)
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, item]) =>
          key === '$ref' && typeof item === 'string' ? [item] : refsIn(item),
        )
      : [];

const pointerTarget = (doc: Document, ref: string): unknown =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);

describe('buildOpenApiDocument', () => {
  it('documents the audit query in JSON and as a FHIR Bundle of AuditEvents', () => {
    const operation = operationOf('GET /v1/audit');
    const content = operation.responses['200']?.content ?? {};

    expect(Object.keys(content).sort()).toEqual(['application/fhir+json', 'application/json']);
    expect(content['application/fhir+json']?.schema).toEqual({
      $ref: '#/components/schemas/AuditEventBundle',
    });
    expect(JSON.stringify(document.components.schemas.AuditEventBundle)).toContain('searchset');
    expect(JSON.stringify(document.components.schemas.AuditRecordView)).toContain('recordedAt');
    expect(operation.security).toEqual([{ bearer: ['audit:read'] }]);
    expect(operation.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'pluginId', 'patientId', 'actor', 'action', 'outcome']),
    );
    expect(operation.parameters?.find((parameter) => parameter.name === 'format')?.description).toContain(
      'FHIR R4 searchset Bundle',
    );
  });

  it('lists every error code in the Problem schema', () => {
    const { code } = (document.components.schemas.Problem as { properties: { code: { enum: string[] } } })
      .properties;

    expect(code.enum).toEqual([...Object.keys(STATUS_BY_CODE), 'INTERNAL_ERROR']);
  });

  it('describes exactly the route records', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(operations.sort()).toEqual(ROUTE_RECORDS.map((record) => record.routeKey).sort());
  });

  it('says where the API is, what it is and who may use it', () => {
    const configured = buildOpenApiDocument('1.2.3', ROUTE_RECORDS, { serverUrl: 'https://api.example.org' });

    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(configured.servers).toEqual([{ url: 'https://api.example.org', description: expect.any(String) }]);
    expect(document.info).toEqual(
      expect.objectContaining({
        version: '1.2.3',
        description: expect.any(String),
        license: expect.any(Object),
      }),
    );
    expect(document.components.securitySchemes.bearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    );
    expect(document.components.securitySchemes.bearer.description).toContain('tenant_id');
  });

  it('defines every tag an operation uses, each with a description', () => {
    const used = new Set(ROUTE_RECORDS.map((record) => record.function));

    expect(document.tags.map((tag) => tag.name).sort()).toEqual([...used].sort());
    for (const tag of document.tags) expect(tag.description.length).toBeGreaterThan(0);
  });

  it('gives every operation a unique camelCase operationId', () => {
    const ids = ROUTE_RECORDS.map((record) => operationIn(document, record.routeKey).operationId);

    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(operationOf('POST /v1/plugins').operationId).toBe('installPlugin');
    expect(operationOf('DELETE /v1/webhooks/{webhookId}').operationId).toBe('deleteWebhook');
  });

  it('puts the scopes on authenticated operations and none on public ones', () => {
    expect(operationOf('POST /v1/plugins').security).toEqual([{ bearer: ['plugins:admin'] }]);
    expect(operationOf('POST /v1/plugins').description).toContain('`plugins:admin`');
    expect(operationOf('GET /v1/marketplace/plugins').security).toEqual([{ bearer: [] }]);
    expect(operationOf('GET /health').security).toEqual([]);
  });

  it("puts a record's description before the scopes in the operation's description", () => {
    const invoke = operationOf('POST /v1/plugins/{id}/invoke');

    expect(invoke.description).toMatch(
      /^Answers 200 with the run result[\s\S]*\n\nScopes \(any one\): `plugins:invoke`\.$/,
    );
  });

  it.each(ROUTE_RECORDS.map((record) => [record.routeKey, record as RouteRecord] as const))(
    'documents %s: summary, parameters, scopes, every response',
    (routeKey, record) => {
      const operation = operationIn(document, routeKey);
      const pathNames = [...routeKey.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      const responses = Object.fromEntries(
        Object.entries(operation.responses).map(([status, response]) => [
          status,
          resolvedResponse(document, response),
        ]),
      );
      const successes = Object.keys(responses).filter((status) => status.startsWith('2'));

      expect(operation.summary).toBe(record.summary);
      expect(operation.tags).toEqual([record.function]);
      expect(operation.security).toEqual(record.isAuthenticated ? [{ bearer: [...record.scopes] }] : []);
      expect(
        (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((p) => p.name),
      ).toEqual(pathNames);
      expect(successes).toContain(String(record.status));
      for (const status of successes) {
        expect(responses[status]?.description).toBeTruthy();
        if (status !== '204') expect(responses[status]?.content?.['application/json']?.schema).toBeDefined();
      }
      expect(Object.keys(responses)).toEqual(
        expect.arrayContaining([...problemStatusesOf(record).map(String), '429', 'default']),
      );
      for (const status of problemStatusesOf(record)) {
        const response = responses[String(status)];
        const schema = response?.content?.['application/problem+json']?.schema as { allOf: object[] };
        const codes = Object.entries(STATUS_BY_CODE)
          .filter(([, codeStatus]) => codeStatus === status)
          .map(([code]) => code);

        expect(schema.allOf[0]).toEqual({ $ref: '#/components/schemas/Problem' });
        // Exactly the codes the error table maps to this status.
        expect(schema.allOf[1]).toEqual({ properties: { status: { const: status }, code: { enum: codes } } });
        for (const code of codes) expect(response?.description).toContain(`\`${code}\``);
      }
      expect(Boolean(operation.requestBody)).toBe(record.request.body !== undefined);
    },
  );

  it('answers 401 and 403 on authenticated routes, 503 on audited reads, 429 everywhere', () => {
    expect(Object.keys(operationOf('GET /v1/plugins').responses)).toEqual(
      expect.arrayContaining(['401', '403', '429', '503']),
    );
    expect(Object.keys(operationOf('GET /health').responses)).toEqual(['200', '429', 'default']);
    expect(JSON.stringify(document.components.responses.Problem503)).toContain('AUDIT_UNAVAILABLE');
    expect(resolvedResponse(document, operationOf('GET /health').responses['429']).content).toHaveProperty([
      'application/json',
    ]);
  });

  it('resolves every $ref to a definition in the document', () => {
    for (const ref of new Set(refsIn(document))) expect(pointerTarget(document, ref), ref).toBeDefined();
  });

  it('names shared shapes once and keeps a request variant apart when it reads differently', () => {
    const put = operationOf('PUT /v1/tenant/policy');

    expect(
      operationOf('GET /v1/plugins/{id}').responses['200']?.content?.['application/json']?.schema,
    ).toEqual({
      $ref: '#/components/schemas/Installation',
    });
    expect(put.requestBody?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/TenantPolicyInput',
    });
    expect(put.responses['200']?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/TenantPolicy',
    });
    expect(JSON.stringify(document).length).toBeLessThan(400_000);
  });

  it('spells out the keys of a record keyed by an enum', () => {
    const results = document.components.schemas.SearchResults as {
      properties: { facets: { properties: { securityStatus: { required: string[]; properties: object } } } };
    };
    const { securityStatus } = results.properties.facets.properties;

    expect(Object.keys(securityStatus.properties)).toEqual(securityStatus.required);
  });

  it('derives request bodies, query and header parameters from the schemas dispatch parses with', () => {
    const install = operationOf('POST /v1/plugins');
    const search = operationOf('GET /v1/marketplace/plugins');
    const put = operationOf('PUT /v1/tenant/policy');
    const patch = operationOf('PATCH /v1/tenant/policy');

    expect(install.requestBody?.content['application/json']?.schema.required).toEqual(
      expect.arrayContaining(['id', 'version', 'code', 'metadata']),
    );
    expect(install.parameters?.map((parameter) => parameter.name)).toEqual(['idempotency-key']);
    expect(Object.keys(install.responses)).toEqual([
      '201',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '422',
      '429',
      'default',
    ]);
    expect(search.parameters?.map((parameter) => `${parameter.in}.${parameter.name}`)).toEqual(
      expect.arrayContaining(['query.query', 'query.tags', 'query.sort', 'query.limit', 'query.cursor']),
    );
    for (const parameter of search.parameters ?? []) expect(parameter.description).toBeTruthy();
    expect(put.parameters).toEqual([
      expect.objectContaining({
        name: 'if-match',
        in: 'header',
        description: expect.stringContaining('ETag'),
      }),
    ]);
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['412', '428']));
    expect(put.responses['200']?.headers).toHaveProperty('ETag');
    expect(Object.keys(patch.requestBody?.content ?? {})).toEqual(['application/merge-patch+json']);
  });

  it('documents the usage window as query parameters and the series in the answer', () => {
    const usage = operationOf('GET /v1/plugins/{id}/usage');

    expect(usage.parameters?.map((parameter) => `${parameter.in}.${parameter.name}`)).toEqual([
      'path.id',
      'query.from',
      'query.to',
      'query.interval',
    ]);
    expect(Object.keys(usage.responses)).toEqual(expect.arrayContaining(['200', '400']));
    expect(JSON.stringify(document.components.schemas.UsageReport)).toContain('seriesTotals');
  });

  it('documents both success statuses of a route that creates or replaces', () => {
    const review = operationOf('PUT /v1/marketplace/plugins/{id}/reviews/mine');

    expect(Object.keys(review.responses)).toEqual(expect.arrayContaining(['200', '201']));
  });

  it('is JSON with no undefined left in it (what GET /openapi.json serves)', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });
});
