import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';

describe('local platform over HTTP', () => {
  let platform: LocalPlatformProcess;

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers /health with the platform and stand-in versions', async () => {
    const response = await fetch(`${platform.url}/health`);
    const body = await jsonOf(response);

    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', mode: 'local' });
    expect(Object.keys(body.standIns)).toEqual(expect.arrayContaining(['dynamodb', 's3']));
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('issues a dev token whose claims carry tenant, subject and space-separated scopes', async () => {
    const response = await fetch(
      `${platform.url}/local/dev-token?tenant=t-globex&sub=nurse-7&scopes=plugins:read,audit:read`,
    );
    const token = await jsonOf(response);
    const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1], 'base64url').toString());

    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(claims).toMatchObject({ tenant_id: 't-globex', sub: 'nurse-7', scope: 'plugins:read audit:read' });
  });

  it('refuses a dev token for an unknown scope with a problem naming the field', async () => {
    const response = await fetch(`${platform.url}/local/dev-token?scopes=root:all`);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await jsonOf(response)).errors[0].field).toMatch(/^query\.scopes/);
  });

  it('lists the caller tenant’s plugins with the scope, 401 without a token, 403 without the scope', async () => {
    const reader = await platform.token('t-acme', ['plugins:read']);
    const auditor = await platform.token('t-acme', ['audit:read']);

    const listed = await fetch(`${platform.url}/v1/plugins`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    const anonymous = await fetch(`${platform.url}/v1/plugins`);
    const forbidden = await fetch(`${platform.url}/v1/plugins`, {
      headers: { authorization: `Bearer ${auditor}` },
    });

    expect(listed.status).toBe(200);
    expect(await jsonOf(listed)).toMatchObject({ items: expect.any(Array) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    expect((await jsonOf(anonymous)).code).toBe('UNAUTHENTICATED');
    expect(forbidden.status).toBe(403);
    expect((await jsonOf(forbidden)).code).toBe('FORBIDDEN');
  });

  it('serves the audit query: JSON, FHIR and disclosures with audit:read, 403 without it, 400 for a bad range', async () => {
    const auditor = { authorization: `Bearer ${await platform.token('t-acme', ['audit:read'])}` };
    const reader = { authorization: `Bearer ${await platform.token('t-acme', ['plugins:read'])}` };

    const listed = await fetch(`${platform.url}/v1/audit?limit=5`, { headers: auditor });
    const fhir = await fetch(`${platform.url}/v1/audit?format=fhir`, { headers: auditor });
    const disclosures = await fetch(`${platform.url}/v1/audit/patients/p-001/disclosures`, {
      headers: auditor,
    });
    const forbidden = await fetch(`${platform.url}/v1/audit`, { headers: reader });
    const backwards = await fetch(
      `${platform.url}/v1/audit?from=2026-12-01T10:00:00Z&to=2026-12-01T09:00:00Z`,
      { headers: auditor },
    );

    expect(listed.status).toBe(200);
    expect(await jsonOf(listed)).toMatchObject({ items: expect.any(Array) });
    expect(fhir.headers.get('content-type')).toBe('application/fhir+json');
    expect(await jsonOf(fhir)).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(disclosures.status).toBe(200);
    expect(forbidden.status).toBe(403);
    expect(backwards.status).toBe(400);
    expect((await jsonOf(backwards)).errors).toEqual([expect.objectContaining({ field: 'query.to' })]);
  });

  it('answers an unknown route with a 404 problem and a request id', async () => {
    const response = await fetch(`${platform.url}/v1/nothing-here`);

    expect(response.status).toBe(404);
    expect((await jsonOf(response)).code).toBe('ROUTE_NOT_FOUND');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers a request over the 6 MB Lambda payload limit with a 413 problem instead of dropping it', async () => {
    const token = await platform.token('t-acme', ['plugins:admin']);

    const response = await fetch(`${platform.url}/v1/plugins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: 'a'.repeat(7 * 1024 * 1024),
    });

    expect(response.status).toBe(413);
    expect((await jsonOf(response)).code).toBe('PAYLOAD_TOO_LARGE');
  });
  it('serves an API reference at /docs that loads only its own assets and the platform document', async () => {
    const page = await fetch(`${platform.url}/docs`);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    const sources = [...html.matchAll(/(?:src|href|data-openapi-url)="([^"]+)"/g)].map(
      ([, source]) => source ?? '',
    );

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(sources).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui-bundle.js', '/openapi.json']));
    for (const source of sources) expect(source).toMatch(/^\/(?!\/)/);
    // No inline script: each <script> loads a file and holds nothing itself.
    expect(
      [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map(([, attributes, body]) => [
        attributes?.includes(' src="'),
        body,
      ]),
    ).toEqual([
      [true, ''],
      [true, ''],
    ]);
    for (const source of sources) {
      const asset = await fetch(new URL(source, platform.url));
      expect(asset.status, source).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, source).toBeGreaterThan(0);
    }
    const bundle = await fetch(`${platform.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await bundle.text()).toContain('SwaggerUIBundle');
  });

  it('answers a path beside the reference assets with a 404 problem, not a file', async () => {
    const response = await fetch(`${platform.url}/docs/assets/..%2F..%2Fpackage.json`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
