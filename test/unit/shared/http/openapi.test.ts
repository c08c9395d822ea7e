import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../../shared/http/openapi.ts';
import { STATUS_BY_CODE } from '../../../../shared/http/problem.ts';
import { ROUTE_RECORDS } from '../../../../shared/http/route-table.ts';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: unknown;
}
interface Operation {
  summary: string;
  security: unknown[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<
    string,
    { description: string; headers?: object; content?: Record<string, { schema: unknown }> }
  >;
}

const document = buildOpenApiDocument('1.2.3');
const operationOf = (routeKey: string): Operation => {
  const [method = '', path = ''] = routeKey.split(' ');
  const operation = (document.paths[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];
  if (!operation) throw new Error(`no operation for ${routeKey}`);
  return operation;
};

describe('buildOpenApiDocument', () => {
  it('documents the audit query in JSON and as a FHIR Bundle of AuditEvents', () => {
    const operation = operationOf('GET /v1/audit');
    const content = operation.responses['200']?.content ?? {};
    const fhir = JSON.stringify(content['application/fhir+json']?.schema);

    expect(Object.keys(content).sort()).toEqual(['application/fhir+json', 'application/json']);
    expect(fhir).toContain('AuditEvent');
    expect(fhir).toContain('searchset');
    expect(JSON.stringify(content['application/json']?.schema)).toContain('recordedAt');
    expect(operation.security).toEqual([{ bearer: ['audit:read'] }]);
    expect(operation.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining([
        'from',
        'to',
        'pluginId',
        'patientId',
        'actor',
        'action',
        'outcome',
        'limit',
        'cursor',
        'format',
      ]),
    );
    expect(
      JSON.stringify(operationOf('GET /v1/audit/patients/{patientId}/disclosures').responses['200']),
    ).toContain('operations');
  });

  it('lists every error code in the Problem schema', () => {
    const { code } = document.components.schemas.Problem.properties;
    expect(code.enum).toEqual([...Object.keys(STATUS_BY_CODE), 'INTERNAL_ERROR']);
  });

  it('describes exactly the route records', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(operations.sort()).toEqual(ROUTE_RECORDS.map((record) => record.routeKey).sort());
  });

  it('puts the scopes on authenticated operations and none on public ones', () => {
    expect(operationOf('POST /v1/plugins').security).toEqual([{ bearer: ['plugins:admin'] }]);
    expect(operationOf('GET /health').security).toEqual([]);
    expect(document.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it.each(ROUTE_RECORDS.map((record) => [record.routeKey, record] as const))(
    'documents %s: summary, every path parameter, success and problem responses',
    (routeKey, record) => {
      const operation = operationOf(routeKey);
      const pathNames = [...routeKey.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      const successes = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      const problems = Object.entries(operation.responses).filter(([status]) => status.startsWith('4'));

      expect(operation.summary).toBe(record.summary);
      expect(
        (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((p) => p.name),
      ).toEqual(pathNames);
      expect(successes).toContain(String(record.status));
      for (const status of successes) {
        if (status !== '204')
          expect(operation.responses[status]?.content?.['application/json']?.schema).toBeDefined();
      }
      if (record.isAuthenticated)
        expect(problems.map(([status]) => status)).toEqual(expect.arrayContaining(['401', '403']));
      for (const [status, response] of problems) {
        const schema = response.content?.['application/problem+json']?.schema as { allOf: object[] };
        expect(schema.allOf[0]).toEqual({ $ref: '#/components/schemas/Problem' });
        // Exactly the codes the error table maps to this status.
        const codes = Object.entries(STATUS_BY_CODE)
          .filter(([, codeStatus]) => String(codeStatus) === status)
          .map(([code]) => code);
        expect(schema.allOf[1]).toEqual({
          properties: { status: { const: Number(status) }, code: { enum: codes } },
        });
        for (const code of codes) expect(response.description).toContain(`\`${code}\``);
      }
      expect(Boolean(operation.requestBody)).toBe(record.request.body !== undefined);
    },
  );

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
      'default',
    ]);
    expect(search.parameters?.map((parameter) => `${parameter.in}.${parameter.name}`)).toEqual(
      expect.arrayContaining(['query.query', 'query.tags', 'query.sort', 'query.limit', 'query.cursor']),
    );
    expect(put.parameters).toEqual([expect.objectContaining({ name: 'if-match', in: 'header' })]);
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
    expect(JSON.stringify(usage.responses['200'])).toContain('seriesTotals');
  });

  it('documents both success statuses of a route that creates or replaces', () => {
    const review = operationOf('PUT /v1/marketplace/plugins/{id}/reviews/mine');

    expect(Object.keys(review.responses)).toEqual(expect.arrayContaining(['200', '201']));
  });

  it('is JSON with no undefined left in it (what GET /openapi.json serves)', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });
});
