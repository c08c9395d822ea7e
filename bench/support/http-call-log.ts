/**
 * Loaded with `--import` into every process of the local platform the API bench starts (the
 * server and its execution workers, through NODE_OPTIONS): it appends one line per outgoing HTTP
 * call (start, end, what) to BENCH_HTTP_LOG. Outgoing calls of the platform are its AWS SDK calls to
 * the stand-ins (DynamoDB Local, s3rver), so the bench can count them per route. Bench-only: the
 * production code has no hook for this.
 *
 * A call the plugin made (its EHR requests to the FHIR stand-in, and the rate counters of its data
 * and network calls) is tagged ` [run]`, from the table and keys in the request body, so the bench can
 * report the platform's own round trips apart from the plugin's. The CPU counter is the
 * platform's metering of the run and stays untagged.
 */
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';

const logFile = process.env.BENCH_HTTP_LOG;
const now = () => performance.timeOrigin + performance.now();
const MAX_BODY_CHARS = 4_096;
/** A rate counter other than CPU (`COUNTER#<plugin>/<counter>#…`). */
const PLUGIN_CALL = /COUNTER#[^#"/]+\/(?!cpuMs#)[A-Za-z]+#/;
/**
 * The audit table's stream consumer at work (in AWS a Lambda of its own, fed after the answer):
 * chain heads and links, the patient index, the access monitor's state, event-delivery markers,
 * and the compliance log the bus writes. Its calls overlap later requests locally, so they are
 * tagged and left out of every request's count.
 */
const DELIVERY_CALL = /"(CHAIN#|MONITOR#|EVENT#)|#PATIENT#/;

if (logFile) {
  const started = new WeakMap<ClientRequest, number>();
  const bodies = new WeakMap<ClientRequest, string>();
  // `created` comes before the body is written (`start` only once the request has ended).
  subscribe('http.client.request.created', (message) => {
    const { request } = message as { request: ClientRequest };
    bodies.set(request, '');
    for (const method of ['write', 'end'] as const) {
      const original = request[method].bind(request) as (...args: unknown[]) => unknown;
      (request as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const [chunk] = args;
        const seen = bodies.get(request) ?? '';
        if (seen.length < MAX_BODY_CHARS && (typeof chunk === 'string' || chunk instanceof Uint8Array)) {
          bodies.set(request, seen + Buffer.from(chunk).toString('utf8').slice(0, MAX_BODY_CHARS));
        }
        return original(...args);
      };
    }
  });
  subscribe('http.client.request.start', (message) => {
    started.set((message as { request: ClientRequest }).request, now());
  });
  subscribe('http.client.response.finish', (message) => {
    const { request } = message as { request: ClientRequest };
    const start = started.get(request);
    if (start === undefined) return;
    const target = request.getHeader('x-amz-target');
    // The tenant's EHR (the FHIR stand-in's `/<tenant>/fhir/…` and `/<tenant>/auth/token`).
    const fhirPath = /^\/[^/]+\/(fhir|auth)\/([^/?]*)/.exec(request.path);
    const what =
      typeof target === 'string'
        ? target.replace(/^DynamoDB_\d+\./, 'dynamodb:')
        : fhirPath
          ? `fhir:${request.method} ${fhirPath[1] === 'auth' ? 'token' : fhirPath[2]}`
          : `s3:${request.method} ${request.path.split('?')[0]?.split('/')[1] ?? ''}`;
    // The plugin's calls are single-item ones; a batch or a transaction is the platform's own, even
    // when it names the plugin's counters (the run ledger reads their buckets with the context).
    const isSingleItem = typeof target === 'string' && !/Batch|Transact/.test(target);
    const body = bodies.get(request) ?? '';
    const isDelivery =
      typeof target === 'string'
        ? target.startsWith('DynamoDBStreams') || DELIVERY_CALL.test(body)
        : request.path.includes('compliance-log');
    // The plugin's own calls: its EHR requests, and the single-item rate counters they are charged to.
    const isPluginCall = fhirPath !== null || (isSingleItem && PLUGIN_CALL.test(body));
    const tag = isDelivery ? ' [delivery]' : isPluginCall ? ' [run]' : '';
    appendFileSync(logFile, `${start.toFixed(3)} ${now().toFixed(3)} ${what}${tag}\n`);
  });
}
