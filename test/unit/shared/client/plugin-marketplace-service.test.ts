import { describe, expect, it } from 'vitest';
import { PluginMarketplaceService, PluginService } from '../../../../shared/client/index.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../shared/domain/tenant-policy.ts';
import { anInstallation } from '../../../support/installation-factory.ts';
import {
  searchResults as results,
  searchHit as summary,
  updateAvailable as update,
} from '../../../support/marketplace-view-factory.ts';
import { json, scriptedFetch } from '../../../support/scripted-fetch.ts';

const ENDPOINT = 'https://plugins.example.test';

describe('PluginMarketplaceService', () => {
  it("searches with the seed's arguments, sending tags comma-separated", async () => {
    const server = scriptedFetch(results([summary('appointment-scheduler')]));
    const market = new PluginMarketplaceService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const found = await market.searchPlugins({
      query: 'appointment',
      tags: ['scheduling', 'reminders'],
      sort: 'downloads',
    });

    const query = server.sent[0]?.url.searchParams;
    expect(server.sent[0]?.url.pathname).toBe('/v1/marketplace/plugins');
    expect([query?.get('query'), query?.get('tags'), query?.get('sort')]).toEqual([
      'appointment',
      'scheduling,reminders',
      'downloads',
    ]);
    expect(found.items.map((item) => item.pluginId)).toEqual(['appointment-scheduler']);
    expect(found.facets.tags.scheduling).toBe(3);
  });

  it('walks every search result across pages, following nextCursor', async () => {
    const server = scriptedFetch(results([summary('a1'), summary('a2')], 'next-1'), results([summary('a3')]));
    const market = new PluginMarketplaceService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const ids: string[] = [];
    for await (const plugin of market.searchAllPlugins({ query: 'a', limit: 2 })) ids.push(plugin.pluginId);

    expect(ids).toEqual(['a1', 'a2', 'a3']);
    expect(server.sent.map((request) => request.url.searchParams.get('cursor'))).toEqual([null, 'next-1']);
    expect(server.sent[1]?.url.searchParams.get('limit')).toBe('2');
  });

  it("downloadAndInstall installs the catalogue's release with no body and an Idempotency-Key", async () => {
    const server = scriptedFetch(
      json(201, anInstallation({ pluginId: 'appointment-scheduler', source: 'marketplace' })),
    );
    const market = new PluginMarketplaceService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const installed = await market.downloadAndInstall('appointment-scheduler', '1.0.0');

    expect(installed.pluginId).toBe('appointment-scheduler');
    expect(server.sent[0]?.method).toBe('POST');
    expect(server.sent[0]?.url.pathname).toBe(
      '/v1/marketplace/plugins/appointment-scheduler/versions/1.0.0/install',
    );
    expect(server.sent[0]?.body).toBeUndefined();
    expect(server.sent[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("downloadAndInstall sends the caller's own Idempotency-Key and retries a 503 with it", async () => {
    const server = scriptedFetch(
      json(503, { type: 'about:blank', title: 'x', status: 503, detail: 'x', code: 'AUDIT_UNAVAILABLE' }),
      json(201, anInstallation({ pluginId: 'appointment-scheduler', source: 'marketplace' })),
    );
    const market = new PluginMarketplaceService({
      endpoint: ENDPOINT,
      token: 't',
      fetch: server.fetch,
      retry: { baseDelayMs: 1, maxDelayMs: 1 },
    });

    await market.downloadAndInstall('appointment-scheduler', '1.0.0', { idempotencyKey: 'install-key-0001' });

    expect(server.sent.map((request) => request.headers['idempotency-key'])).toEqual([
      'install-key-0001',
      'install-key-0001',
    ]);
  });

  it('checkUpdates collects every page of the updates list', async () => {
    const server = scriptedFetch(
      json(200, { items: [update('p1')], nextCursor: 'u1' }),
      json(200, { items: [update('p2')] }),
    );
    const market = new PluginMarketplaceService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const updates = await market.checkUpdates();

    expect(updates.map((item) => item.pluginId)).toEqual(['p1', 'p2']);
    expect(server.sent.map((request) => request.url.pathname)).toEqual([
      '/v1/plugins/updates',
      '/v1/plugins/updates',
    ]);
  });

  it('writes a review with PUT …/reviews/mine and reports one with POST …/report', async () => {
    const review = {
      pluginId: 'p1',
      reviewId: 'review-0001',
      tenantId: 't-acme',
      stars: 5,
      title: 'Works',
      body: '',
      version: '1.0.0',
      verifiedInstaller: true,
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    };
    const server = scriptedFetch(
      json(201, review),
      json(202, { reviewId: 'review-0001', reason: 'spam', isNew: true }),
    );
    const market = new PluginMarketplaceService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const written = await market.addReview('p1', { stars: 5, title: 'Works' });
    const receipt = await market.reportReview('p1', 'review-0001', { reason: 'spam' });

    expect(written.verifiedInstaller).toBe(true);
    expect(receipt.isNew).toBe(true);
    expect(server.sent.map((request) => [request.method, request.url.pathname, request.body])).toEqual([
      ['PUT', '/v1/marketplace/plugins/p1/reviews/mine', { stars: 5, title: 'Works' }],
      ['POST', '/v1/marketplace/plugins/p1/reviews/review-0001/report', { reason: 'spam' }],
    ]);
  });
});

describe('PluginService lists', () => {
  it('listPlugins iterates installations across pages and byPage() shows the pages', async () => {
    const server = scriptedFetch(
      json(200, { items: [anInstallation({ pluginId: 'p1' })], nextCursor: 'k1' }),
      json(200, { items: [anInstallation({ pluginId: 'p2' })] }),
      json(200, { items: [anInstallation({ pluginId: 'p2' })] }),
    );
    const plugins = new PluginService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const ids: string[] = [];
    for await (const installation of plugins.listPlugins({ limit: 1 })) ids.push(installation.pluginId);
    const pages: number[] = [];
    for await (const page of plugins.listPlugins({ cursor: 'k1' }).byPage()) pages.push(page.items.length);

    expect(ids).toEqual(['p1', 'p2']);
    expect(pages).toEqual([1]);
    expect(server.sent.map((request) => request.url.search)).toEqual([
      '?limit=1',
      '?limit=1&cursor=k1',
      '?cursor=k1',
    ]);
  });

  it('asks for the audit query as a FHIR Bundle in its own media type', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'self', url: '/v1/audit' }],
      entry: [],
    };
    const server = scriptedFetch(json(200, bundle, { 'content-type': 'application/fhir+json' }));
    const plugins = new PluginService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const answered = await plugins.getAuditBundle({ patientId: 'p-001' });

    expect(answered.resourceType).toBe('Bundle');
    expect(server.sent[0]?.headers.accept).toBe('application/fhir+json, application/problem+json');
    expect(server.sent[0]?.url.search).toBe('?patientId=p-001&format=fhir');
  });

  it('reads the tenant policy with its ETag and writes it back with If-Match', async () => {
    const policy = DEFAULT_TENANT_POLICY;
    const server = scriptedFetch(
      json(200, policy, { etag: '"3"' }),
      json(200, policy, { etag: '"4"' }),
      json(200, policy, { etag: '"5"' }),
    );
    const plugins = new PluginService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const read = await plugins.policy.get();
    const replaced = await plugins.policy.replace(read.policy, read.etag);
    const patched = await plugins.policy.patch({ minimumSignatureLevel: 'publisher' });

    expect([read.etag, replaced.etag, patched.etag]).toEqual(['"3"', '"4"', '"5"']);
    expect(server.sent[1]?.headers['if-match']).toBe('"3"');
    expect(server.sent[2]?.headers['content-type']).toBe('application/merge-patch+json');
    expect(server.sent[2]?.headers['if-match']).toBeUndefined();
  });
});
