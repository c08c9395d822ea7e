import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditRoutes } from '../../../../functions/audit/routes.ts';
import { toProblem } from '../../../../shared/http/problem.ts';
import { InMemoryAuditQueryStore } from '../../../support/fakes/in-memory-audit-query-store.ts';
import { callRoute } from '../../../support/route-call.ts';
import { testCursorCodec } from '../../../support/test-cursors.ts';

const caller = { tenantId: 't-acme' as never, userId: 'officer', scopes: new Set(['audit:read']) };
const NOW = new Date('2026-12-01T12:00:00.000Z');

/** Values near the edges of each parameter, and arbitrary text. */
const value = fc.oneof(
  fc.constantFrom(
    '2026-12-01T10:00:00Z',
    '2026-12-01T10:00:00+02:00',
    '2025-01-01T00:00:00Z',
    '2030-01-01T00:00:00Z',
    'yesterday',
    '0',
    '-1',
    '50',
    '201',
    '1e3',
    'fhir',
    'json',
    'success',
    'security:anomaly',
    'v1.e30.AAAA',
    'lab-viewer',
    'p-001',
  ),
  fc.string({ maxLength: 120 }),
);

describe('audit request parsers (property)', () => {
  it('answers any query and path with a 2xx or a 4xx problem, never a 5xx', async () => {
    const routes = auditRoutes({
      store: new InMemoryAuditQueryStore(),
      clock: { now: () => NOW },
      cursors: testCursorCodec(),
    });

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(routes)),
        fc.dictionary(
          fc.constantFrom(
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
            'tenantId',
          ),
          value,
        ),
        fc.oneof(fc.constantFrom('p-001', '..', ''), fc.string({ maxLength: 80 })),
        async (routeKey, query, patientId) => {
          try {
            const response = await callRoute(routes, routeKey, {
              caller,
              query,
              pathParameters: { patientId },
            });
            expect(response.status).toBeLessThan(300);
          } catch (error) {
            const problem = toProblem(error, 'req');
            expect(problem.status, String((error as Error)?.stack)).toBeGreaterThanOrEqual(400);
            expect(problem.status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
