import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marketplaceRoutes } from '../../../../functions/marketplace/routes.ts';
import { toProblem } from '../../../../shared/http/problem.ts';
import { AdvisoryAdministration } from '../../../../shared/services/scanning/advisory-administration.ts';
import {
  InMemoryAdvisoryDatabase,
  InMemoryAdvisoryDatabaseStore,
} from '../../../support/fakes/in-memory-advisory-database.ts';
import { InMemoryIdempotencyStore } from '../../../support/fakes/in-memory-idempotency-store.ts';
import { createMarketplaceHarness } from '../../../support/fakes/in-memory-marketplace-harness.ts';
import { InMemoryTenantPolicyRepository } from '../../../support/fakes/in-memory-tenant-policy-repository.ts';
import { callRoute } from '../../../support/route-call.ts';
import { testCursorCodec } from '../../../support/test-cursors.ts';

const ALL_SCOPES = new Set([
  'marketplace:publish',
  'marketplace:review',
  'marketplace:admin',
  'plugins:admin',
  'plugins:read',
]);

const caller = { tenantId: 't-acme' as never, userId: 'u', scopes: ALL_SCOPES };

describe('marketplace request parsers (property)', () => {
  it('answers any JSON body, path and query with a 2xx or a 4xx problem, never a 5xx', async () => {
    const { service, publish, publisher, fakes } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    const advisories = new AdvisoryAdministration({
      ...fakes,
      advisoryDatabase: new InMemoryAdvisoryDatabase(),
      advisoryStore: new InMemoryAdvisoryDatabaseStore(),
      shippedAdvisories: async () => [],
      policies: new InMemoryTenantPolicyRepository(),
      installerFor: fakes.installers.installerFor,
    });
    const routes = marketplaceRoutes({ marketplace: service, advisories, cursors: testCursorCodec() });
    const routeKeys = Object.keys(routes);
    const idempotency = new InMemoryIdempotencyStore();
    const segment = fc.oneof(
      fc.constantFrom('lab-viewer', '1.0.0', 'updates', '..', '', publisher.keyId),
      fc.string({ maxLength: 80 }),
    );

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routeKeys),
        fc.jsonValue({ maxDepth: 4 }),
        fc.record({ id: segment, version: segment, keyId: segment, advisoryId: segment }),
        fc.dictionary(
          fc.constantFrom('query', 'tags', 'sort', 'limit', 'cursor', 'prerelease'),
          fc.string({ maxLength: 200 }),
        ),
        async (routeKey, body, pathParameters, query) => {
          try {
            const response = await callRoute(routes, routeKey, {
              caller,
              body,
              pathParameters,
              query,
              idempotency: { store: idempotency, now: () => new Date() },
            });
            expect(response.status).toBeLessThan(300);
          } catch (error) {
            const status = toProblem(error, 'req').status;
            expect(status, String((error as Error)?.stack)).toBeGreaterThanOrEqual(400);
            expect(status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
