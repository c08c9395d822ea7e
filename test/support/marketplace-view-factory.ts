import { json } from './scripted-fetch.ts';

/** A search hit as `GET /v1/marketplace/plugins` answers it (a valid PluginSummary). */
export const searchHit = (pluginId: string) => ({
  pluginId,
  name: pluginId,
  description: 'D',
  author: 'A',
  tags: ['scheduling'],
  publisherId: 'acme-labs',
  latestVersion: '1.0.0',
  downloads: 3,
  rating: { average: 4, count: 1 },
  updatedAt: '2026-12-01T00:00:00.000Z',
  publisherVerified: true,
  securityStatus: 'clean',
});

/** A search answer with these hits, a total and the facets. */
export const searchResults = (items: unknown[], nextCursor?: string) =>
  json(200, {
    items,
    total: 3,
    facets: {
      tags: { scheduling: 3 },
      verified: { true: 3, false: 0 },
      securityStatus: { clean: 3, advisory: 0 },
    },
    ...(nextCursor ? { nextCursor } : {}),
  });

/** An item of `GET /v1/plugins/updates`: 1.0.0 installed, 1.1.0 offered. */
export const updateAvailable = (pluginId: string) => ({
  pluginId,
  installedVersion: '1.0.0',
  latestVersion: '1.1.0',
  publishedAt: '2026-12-01T00:00:00.000Z',
  newPermissions: [],
});
