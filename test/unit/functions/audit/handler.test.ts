import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditHandlerFor } from '../../../../functions/audit/wiring.ts';
import { createTokenVerifier } from '../../../../shared/auth/token-verifier.ts';
import { httpEvent } from '../../../support/api-gateway-events.ts';
import { InMemoryAuditQueryStore } from '../../../support/fakes/in-memory-audit-query-store.ts';
import { InMemoryOutbox } from '../../../support/fakes/in-memory-outbox.ts';
import { testCursorCodec } from '../../../support/test-cursors.ts';
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER } from '../../../support/test-issuer.ts';

const context = {} as never;

describe('audit handler', () => {
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let handler: ReturnType<typeof auditHandlerFor>;
  const outbox = new InMemoryOutbox();
  const dependencies = () => ({
    verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, jwks: issuer.jwks }),
    store: new InMemoryAuditQueryStore(),
    clock: { now: () => new Date() },
    cursors: testCursorCodec(),
    requestAudit: { outbox, ids: { next: () => randomUUID() }, clock: { now: () => new Date() } },
  });

  beforeAll(async () => {
    issuer = await createTestIssuer();
    handler = auditHandlerFor(dependencies());
  });

  afterEach(() => vi.restoreAllMocks());

  const get = async (query: Record<string, string>, scopes: string[] = ['audit:read']) =>
    handler(
      httpEvent('GET /v1/audit', {
        headers: { authorization: `Bearer ${await issuer.token('t-acme', scopes, 'officer')}` },
        query,
      }),
      context,
    );

  it('answers JSON by default and FHIR with its media type', async () => {
    const json = await get({});
    const fhir = await get({ format: 'fhir' });

    expect([json.statusCode, json.headers?.['content-type']]).toEqual([200, 'application/json']);
    expect([fhir.statusCode, fhir.headers?.['content-type']]).toEqual([200, 'application/fhir+json']);
    expect(JSON.parse(fhir.body ?? '{}')).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [],
    });
  });

  it("leaves an api:request record of the officer's read, and answers no read it could not record", async () => {
    const before = outbox.records.length;

    await get({ patientId: 'p-001' });
    outbox.failAppends = 3;
    const unrecorded = await get({});
    outbox.failAppends = 0;

    expect(outbox.records.slice(before)[0]).toMatchObject({
      action: 'api:request',
      outcome: 'success',
      tenantId: 't-acme',
      request: { routeKey: 'GET /v1/audit', status: 200, scopes: ['audit:read'] },
    });
    expect(JSON.stringify(outbox.records)).not.toContain('p-001');
    expect(unrecorded.statusCode).toBe(503);
    expect(JSON.parse(unrecorded.body ?? '{}')).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
  });

  it('answers 401 without a token and 403 without audit:read, as problems', async () => {
    const anonymous = await handler(httpEvent('GET /v1/audit'), context);
    const forbidden = await get({}, ['plugins:read']);

    expect([anonymous.statusCode, anonymous.headers?.['content-type']]).toEqual([
      401,
      'application/problem+json',
    ]);
    expect(forbidden.statusCode).toBe(403);
  });

  it('names the field of a bad range in a 400 problem', async () => {
    const response = await get({ from: '2026-12-01T10:00:00Z', to: '2026-12-01T09:00:00Z' });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'query.to' }],
    });
  });

  it('never writes the token or a canary PHI string from the query to the logs', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const verbose = auditHandlerFor(dependencies());
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const token = await issuer.token('t-acme', ['audit:read'], 'officer');

    for (const query of [
      { actor: 'CANARY-PHI-Jane-Roe' },
      { from: 'CANARY-PHI-Jane-Roe' },
      { tenantId: 'CANARY-PHI' },
    ] as Record<string, string>[])
      await verbose(
        httpEvent('GET /v1/audit', { headers: { authorization: `Bearer ${token}` }, query }),
        context,
      );
    vi.restoreAllMocks();
    vi.unstubAllEnvs();

    expect(lines.length).toBeGreaterThan(0);

    expect(lines.join('')).not.toContain('CANARY-PHI');
    expect(lines.join('')).not.toContain(token);
  });
});
