import {
  idempotencyKeyReused,
  idempotencyRequestInProgress,
  invalidIdempotencyKey,
} from '../domain/errors/request-errors.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { HttpResponse } from './http-types.ts';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.ts';
import type { RouteContext } from './route-record.ts';

const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * `Idempotency-Key` for unsafe requests: the first request with a key runs and its answer (success
 * or 4xx refusal) is kept for 24 h; a retry with the same key and body gets that answer again; the
 * same key with another body (byte for byte) is a 422. A 5xx frees the key so a retry can run. The
 * body is fingerprinted before it is parsed, so a body the route refuses is refused with the same
 * 4xx whether or not it carried a key.
 */
export async function withIdempotency(
  request: RouteContext,
  scope: string,
  store: IdempotencyStore,
  now: () => Date,
  run: () => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const key = request.header('idempotency-key');
  if (key === undefined) return run();
  if (!KEY_PATTERN.test(key)) {
    throw invalidIdempotencyKey();
  }
  const tenantId = request.caller.tenantId;
  // Per resource: every path parameter (a plugin id; a marketplace install's id and version).
  const path = request.pathParameters;
  const scopeKey = `${scope}:${Object.keys(path)
    .sort()
    .map((name) => path[name])
    .join('/')}`;
  const claim = await store.claim(tenantId, scopeKey, key, request.bodyDigest(), now());
  if (claim.kind === 'mismatch') {
    throw idempotencyKeyReused();
  }
  if (claim.kind === 'in-progress') {
    throw idempotencyRequestInProgress();
  }
  if (claim.kind === 'replay') {
    const isProblem = claim.response.status >= 400;
    return {
      ...claim.response,
      headers: {
        'idempotent-replayed': 'true',
        ...(isProblem ? { 'content-type': PROBLEM_CONTENT_TYPE } : {}),
      },
    };
  }
  try {
    const response = await run();
    await store.complete(tenantId, scopeKey, key, { status: response.status, body: response.body }, now());
    return response;
  } catch (error) {
    const problem = toProblem(error, request.requestId);
    if (problem.status >= 500) {
      await store.release(tenantId, scopeKey, key);
      throw error;
    }
    await store.complete(tenantId, scopeKey, key, { status: problem.status, body: problem }, now());
    throw error;
  }
}
