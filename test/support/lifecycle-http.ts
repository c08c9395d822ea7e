import { randomUUID } from 'node:crypto';
import { lifecycleHandlerFor } from '../../functions/lifecycle/wiring.ts';
import { createTokenVerifier } from '../../shared/auth/token-verifier.ts';
import { TenantPolicyService } from '../../shared/services/lifecycle/tenant-policy-service.ts';
import { httpEvent } from './api-gateway-events.ts';
import { InMemoryIdempotencyStore } from './fakes/in-memory-idempotency-store.ts';
import { InMemoryOutbox } from './fakes/in-memory-outbox.ts';
import { createLifecycleHarness } from './lifecycle-harness.ts';
import { testCursorCodec } from './test-cursors.ts';
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER } from './test-issuer.ts';

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly json: Record<string, unknown> | undefined;
}

/**
 * The lifecycle handler over in-memory ports, driven with API Gateway events: the door the
 * security tests knock on when an attack is about HTTP parsing, auth or idempotency.
 */
export async function createLifecycleHttp() {
  const issuer = await createTestIssuer();
  const harness = await createLifecycleHarness();
  const idempotency = new InMemoryIdempotencyStore();
  const requestOutbox = new InMemoryOutbox();
  const handler = lifecycleHandlerFor({
    requestAudit: {
      outbox: requestOutbox,
      ids: { next: () => randomUUID() },
      clock: { now: () => new Date() },
    },
    verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, jwks: issuer.jwks }),
    pluginServiceFor: (caller) => harness.serviceFor(caller.tenantId, caller.userId),
    tenantPolicyServiceFor: (caller) =>
      new TenantPolicyService({
        tenantId: caller.tenantId,
        actorId: caller.userId,
        policies: harness.policies,
        auditTrail: harness.auditTrail,
      }),
    idempotency,
    cursors: testCursorCodec(),
    invoker: {
      invoke: async () => {
        throw new Error('no execution function in this harness');
      },
    },
    auditTrail: {
      outbox: new InMemoryOutbox(),
      clock: { now: () => new Date() },
      ids: { next: () => randomUUID() },
    },
    now: () => new Date(),
  });

  const send = async (
    routeKey: string,
    options: {
      token?: string;
      body?: unknown;
      headers?: Record<string, string>;
      query?: Record<string, string>;
    },
  ): Promise<HttpAnswer> => {
    const response = (await handler(
      httpEvent(routeKey, {
        headers: {
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(options.query ? { query: options.query } : {}),
      }),
      {} as never,
    )) as { statusCode: number; headers?: Record<string, string>; body?: string };
    return {
      statusCode: response.statusCode,
      headers: response.headers ?? {},
      json: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : undefined,
    };
  };

  return { issuer, harness, idempotency, requestOutbox, send };
}
