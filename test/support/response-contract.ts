import { isDeepStrictEqual } from 'node:util';
import { createRouteMatcher } from '../../apps/local-platform/route-matcher.ts';
import { ROUTE_RECORDS } from '../../shared/http/route-table.ts';

const recordsByKey = new Map(ROUTE_RECORDS.map((record) => [record.routeKey, record]));
const match = createRouteMatcher(ROUTE_RECORDS);
const watchedOrigins = new Set<string>();
let originalFetch: typeof fetch | undefined;

/**
 * Holds every successful answer of a watched local platform to the route record it came from: the
 * body must be exactly what the record's response schema describes, no field missing, none extra
 * (the OpenAPI document built from the records says `additionalProperties: false`). A mismatch
 * rejects the test's own fetch, so the test that made the call fails and names the route.
 */
export function watchResponses(baseUrl: string): void {
  watchedOrigins.add(new URL(baseUrl).origin);
  if (originalFetch) return;
  const passThrough = globalThis.fetch;
  originalFetch = passThrough;
  globalThis.fetch = async (input, init) => {
    const response = await passThrough(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!watchedOrigins.has(url.origin) || response.status < 200 || response.status >= 300) return response;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const matched = match(method, url.pathname);
    const record = matched ? recordsByKey.get(matched.route.routeKey) : undefined;
    // A record's second media type (FHIR) is held to its own schema.
    const isAlternative =
      record?.alternativeResponse !== undefined &&
      response.headers.get('content-type') === record.alternativeResponse.mediaType;
    const schema = isAlternative ? record?.alternativeResponse?.schema : record?.response;
    if (!matched || !schema || response.status === 204) return response;
    const body: unknown = await response.clone().json();
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(
        `${matched.route.routeKey} answered a body its record does not describe: ${fields.join('; ')}`,
      );
    }
    if (!isDeepStrictEqual(parsed.data, body)) {
      throw new Error(
        `${matched.route.routeKey} answered fields its record does not describe (or left out defaults), ` +
          `first at ${firstDifference(body, parsed.data)}: ${JSON.stringify(body).slice(0, 500)}`,
      );
    }
    return response;
  };
}

/** The path of the first value that differs between what was answered and what its schema keeps. */
function firstDifference(answered: unknown, kept: unknown, path = 'body'): string {
  if (isDeepStrictEqual(answered, kept)) return '';
  if (typeof answered !== 'object' || answered === null || typeof kept !== 'object' || kept === null)
    return `${path} (${JSON.stringify(answered)?.slice(0, 80)} kept as ${JSON.stringify(kept)?.slice(0, 80)})`;
  const keys = new Set([...Object.keys(answered), ...Object.keys(kept)]);
  for (const key of keys) {
    const inner = firstDifference(
      (answered as Record<string, unknown>)[key],
      (kept as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (inner) return inner;
  }
  return path;
}
