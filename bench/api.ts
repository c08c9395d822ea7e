/**
 * npm run bench:api — drives the local platform over HTTP, as a client would.
 *
 * 1. Latency (p50, p99) of list, get, enable/disable and invoke, each as a ratio to GET /health
 *    (a route that does no work) served by the same server in the same run.
 * 2. 50 concurrent clients for 30 s (BENCH_API_SECONDS to change) against a mix of those routes;
 *    throughput, errors, and a lost-update check: every client toggles its own plugin and counts
 *    its toggles, and all clients race optimistic tenant-policy writes; afterwards each plugin's
 *    state and the policy version must match exactly what the clients did.
 * 3. AWS SDK calls per route (to DynamoDB Local and s3rver, logged by every platform process through
 *    bench/support/http-call-log.ts): in all, before the answer, and sequential round trips before
 *    the answer (calls sent together count once); then the same round trips without the plugin's
 *    own calls (its EHR reads and their rate counters), and those calls on their own. The audit
 *    stream's delivery (a function of its own in AWS, run after the answer) is left out.
 * Results go to bench/results/api.json.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { proveKeyPossession } from '../shared/domain/prove-key-possession.ts';
import { startLocalPlatformProcess } from '../test/support/local-platform-process.ts';
import { percentile } from './support/percentiles.ts';
import { isDelivery, isPluginCall, readCalls, sequentialRoundTrips } from './support/round-trips.ts';

const CLIENTS = 50;
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 30);
const SAMPLES = 300;
// A demo tenant: the local platform connects it to its FHIR base, so the plugin's search is real.
const TENANT = 't-acme';

const PLUGIN_CODE = `export default {
  async execute(input, api) {
    const patients = await api.patients.search({ limit: 5 });
    return { seen: patients.length, input };
  },
};
`;

interface Timed {
  status: number;
  ms: number;
  body: unknown;
  etag: string | null;
}

const callLog = join(mkdtempSync(join(tmpdir(), 'gradiant-bench-')), 'http-calls.log');
const preload = pathToFileURL(join(import.meta.dirname, 'support', 'http-call-log.ts')).href;
const platform = await startLocalPlatformProcess({
  env: {
    BENCH_HTTP_LOG: callLog,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim(),
  },
});
const token = await platform.token(TENANT, [
  'plugins:read',
  'plugins:admin',
  'plugins:invoke',
  'marketplace:publish',
]);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

async function request(
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: { ...headers, ...extra },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    ms: performance.now() - started,
    body: text ? JSON.parse(text) : undefined,
    etag: response.headers.get('etag'),
  };
}

function expectStatus(result: Timed, expected: number, what: string): Timed {
  if (result.status !== expected) {
    throw new Error(`${what}: expected ${expected}, got ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result;
}

async function setUp(pluginIds: string[]) {
  // A publisher key the bench tenant trusts, so plugins install directly (no marketplace needed).
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const registered = expectStatus(
    await request('POST', '/v1/publishers/keys', proveKeyPossession(privateKey, TENANT, new Date())),
    201,
    'register publisher key',
  );
  const keyId = (registered.body as { keyId: string }).keyId;
  expectStatus(
    await request(
      'PATCH',
      '/v1/tenant/policy',
      {
        minimumSignatureLevel: 'publisher',
        trustedPublisherKeyIds: [keyId],
        // The load below runs 50 clients in one tenant: the most concurrent runs a policy allows.
        maxConcurrentRuns: 20,
      },
      { 'content-type': 'application/merge-patch+json' },
    ),
    200,
    'trust the bench key',
  );
  const signature = sign('sha256', Buffer.from(PLUGIN_CODE), {
    key: privateKey,
    dsaEncoding: 'der',
  }).toString('base64');
  for (const id of pluginIds) {
    expectStatus(
      await request('POST', '/v1/plugins', {
        id,
        version: '1.0.0',
        code: PLUGIN_CODE,
        metadata: { name: id, description: 'bench plugin', author: 'bench', permissions: ['read:patients'] },
        signature: { keyId, signature },
      }),
      201,
      `install ${id}`,
    );
    expectStatus(await request('POST', `/v1/plugins/${id}/enable`), 200, `enable ${id}`);
  }
}

const CALL_SAMPLES = 10;
/** Long enough for work a request starts after answering (event deliveries) to be logged. */
const SETTLE_MS = 300;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SDK calls of one request, counted over a few sequential requests with pauses between them. */
async function sdkCalls(run: () => Promise<Timed>) {
  let { offset } = readCalls(callLog, 0);
  const total: number[] = [];
  const critical: number[] = [];
  const trips: number[] = [];
  const platformTrips: number[] = [];
  const pluginCalls: number[] = [];
  for (let i = 0; i < CALL_SAMPLES; i++) {
    const startedAt = performance.timeOrigin + performance.now();
    const result = await run();
    const answeredAt = startedAt + result.ms;
    await pause(SETTLE_MS);
    const read = readCalls(callLog, offset);
    offset = read.offset;
    const mine = read.calls.filter((call) => call.start >= startedAt && !isDelivery(call));
    const beforeAnswer = mine.filter((call) => call.start < answeredAt);
    total.push(mine.length);
    critical.push(beforeAnswer.length);
    trips.push(sequentialRoundTrips(beforeAnswer));
    platformTrips.push(sequentialRoundTrips(beforeAnswer.filter((call) => !isPluginCall(call))));
    pluginCalls.push(beforeAnswer.filter(isPluginCall).length);
    if (i === CALL_SAMPLES - 1 && process.env.BENCH_SHOW_CALLS) {
      // What the last sample waited on, in order (ms from the request's start): to see the chain.
      for (const call of [...beforeAnswer].sort((a, b) => a.start - b.start)) {
        console.log(
          `    ${(call.start - startedAt).toFixed(1).padStart(7)} → ${(call.end - startedAt).toFixed(1).padStart(7)}  ${call.what}`,
        );
      }
    }
  }
  return {
    calls: percentile(total, 50),
    beforeAnswer: percentile(critical, 50),
    roundTrips: percentile(trips, 50),
    platformRoundTrips: percentile(platformTrips, 50),
    pluginCalls: percentile(pluginCalls, 50),
  };
}

async function latency(name: string, run: () => Promise<Timed>) {
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const result = await run();
    if (result.status >= 400)
      throw new Error(`${name} failed: ${result.status} ${JSON.stringify(result.body)}`);
    times.push(result.ms);
  }
  return { name, p50: percentile(times, 50), p99: percentile(times, 99), sdk: await sdkCalls(run) };
}

const clientPlugins = Array.from({ length: CLIENTS }, (_, index) => `bench-${index}`);
await setUp(['bench-probe', ...clientPlugins]);

const baseline = await latency('no-op (GET /health)', () => request('GET', '/health'));
let toggle = false;
const rows = [
  await latency('list (GET /v1/plugins)', () => request('GET', '/v1/plugins?limit=25')),
  await latency('get (GET /v1/plugins/{id})', () => request('GET', '/v1/plugins/bench-probe')),
  await latency('enable/disable (POST)', () => {
    toggle = !toggle;
    return request('POST', `/v1/plugins/bench-probe/${toggle ? 'disable' : 'enable'}`);
  }),
];
if (toggle) expectStatus(await request('POST', '/v1/plugins/bench-probe/enable'), 200, 're-enable probe');
// The measured run must be the real one: the plugin's search reached the tenant's FHIR server.
const probeRun = expectStatus(
  await request('POST', '/v1/plugins/bench-probe/invoke', { input: { n: 1 } }),
  200,
  'probe invoke',
);
if ((probeRun.body as { ok?: boolean; value?: { seen?: number } }).value?.seen !== 5) {
  throw new Error(`probe invoke did not read five patients: ${JSON.stringify(probeRun.body)}`);
}
rows.push(
  await latency('invoke (POST /v1/plugins/{id}/invoke)', () =>
    request('POST', '/v1/plugins/bench-probe/invoke', { input: { n: 1 } }),
  ),
);

console.log(`\nLatency over ${SAMPLES} sequential requests (ms; ratio to the no-op route in the same run)`);
console.log('and the AWS SDK calls each request makes (median of 10): in all, before the answer, sequential');
console.log("round trips before the answer; the same without the plugin's own calls, and those calls");
console.log(
  `${'route'.padEnd(40)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'p50 ×'.padStart(8)} ${'p99 ×'.padStart(8)} ${'calls'.padStart(6)} ${'before'.padStart(7)} ${'trips'.padStart(6)} ${'platf.'.padStart(7)} ${'plugin'.padStart(7)}`,
);
for (const row of [baseline, ...rows]) {
  console.log(
    `${row.name.padEnd(40)} ${row.p50.toFixed(2).padStart(8)} ${row.p99.toFixed(2).padStart(8)} ${(row.p50 / baseline.p50).toFixed(2).padStart(8)} ${(row.p99 / baseline.p99).toFixed(2).padStart(8)} ${String(row.sdk.calls).padStart(6)} ${String(row.sdk.beforeAnswer).padStart(7)} ${String(row.sdk.roundTrips).padStart(6)} ${String(row.sdk.platformRoundTrips).padStart(7)} ${String(row.sdk.pluginCalls).padStart(7)}`,
  );
}

// Load: each client owns one plugin (toggles it, counting), reads, invokes when enabled, and
// races optimistic policy writes (If-Match) that must never overwrite each other.
let errors = 0;
let throttled = 0;
let requests = 0;
let policyWrites = 0;
const errorSamples: string[] = [];
const deadline = Date.now() + SECONDS * 1000;
const versionOf = (result: Timed) => Number(JSON.parse(result.etag ?? '"0"'));
const initialPolicyVersion = versionOf(await request('GET', '/v1/tenant/policy'));

/** Which route a client's step took, for the error samples (step 2 invokes while the plugin is enabled). */
const ROUTE_OF_STEP = ['enable/disable', 'get', 'invoke or list', 'list'] as const;

async function client(index: number) {
  const id = clientPlugins[index] as string;
  let enabled = true;
  let toggles = 0;
  let step = 0;
  while (Date.now() < deadline) {
    step++;
    let result: Timed;
    if (step % 10 === 0) {
      const read = await request('GET', '/v1/tenant/policy');
      result = await request('PUT', '/v1/tenant/policy', read.body, { 'if-match': read.etag ?? '*' });
      requests++;
      if (result.status === 200) policyWrites++;
      else if (result.status !== 412 && result.status !== 409) errors++;
      continue;
    }
    switch (step % 4) {
      case 0:
        result = await request('POST', `/v1/plugins/${id}/${enabled ? 'disable' : 'enable'}`);
        if (result.status === 200) {
          enabled = !enabled;
          toggles++;
        }
        break;
      case 1:
        result = await request('GET', `/v1/plugins/${id}`);
        break;
      case 2:
        result = enabled
          ? await request('POST', `/v1/plugins/${id}/invoke`, { input: { step } })
          : await request('GET', '/v1/plugins?limit=10');
        break;
      default:
        result = await request('GET', '/v1/plugins?limit=10');
    }
    requests++;
    // 429 is the tenant's concurrent-run cap at work (issue #8), an answer, not an error.
    if (result.status === 429) throttled++;
    else if (result.status >= 400) {
      errors++;
      if (errorSamples.length < 5)
        errorSamples.push(
          `${ROUTE_OF_STEP[step % 4]}: ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`,
        );
    }
  }
  return { id, enabled, toggles };
}

const started = performance.now();
const outcomes = await Promise.all(clientPlugins.map((_, index) => client(index)));
const elapsedSeconds = (performance.now() - started) / 1000;

let lostUpdates = 0;
for (const outcome of outcomes) {
  const stored = (await request('GET', `/v1/plugins/${outcome.id}`)).body as { state: string };
  if ((stored.state === 'enabled') !== outcome.enabled) lostUpdates++;
}
const finalPolicyVersion = versionOf(await request('GET', '/v1/tenant/policy'));
const policyLost = finalPolicyVersion - initialPolicyVersion - policyWrites;

console.log(`\n${CLIENTS} concurrent clients for ${elapsedSeconds.toFixed(1)} s`);
console.log(
  `  requests: ${requests}  throughput: ${(requests / elapsedSeconds).toFixed(0)} req/s  throttled at the tenant's run cap (429): ${throttled}`,
);
console.log(
  `  errors (4xx/5xx other than expected 409 races): ${errors}${errorSamples.length ? ` e.g. ${errorSamples[0]}` : ''}`,
);
console.log(
  `  plugin states differing from what their client did: ${lostUpdates} ${lostUpdates === 0 ? 'PASS' : 'FAIL'}`,
);
console.log(
  `  policy versions ${initialPolicyVersion} → ${finalPolicyVersion} for ${policyWrites} accepted writes: ${policyLost === 0 ? 'no lost update PASS' : `${policyLost} unexplained FAIL`}`,
);
console.log(`  zero errors: ${errors === 0 ? 'PASS' : 'FAIL'}`);
if (errors > 0) {
  // The platform's own account of its failures (ids, codes and error names only).
  const failures = platform
    .output()
    .split('\n')
    .filter((line) => /request failed|could not|withheld/.test(line));
  for (const line of failures.slice(0, 5)) console.log(`  platform log: ${line.slice(0, 300)}`);
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/api.json',
  JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      latency: [baseline, ...rows].map((row) => ({
        ...row,
        p50Ratio: row.p50 / baseline.p50,
        p99Ratio: row.p99 / baseline.p99,
      })),
      load: {
        clients: CLIENTS,
        seconds: elapsedSeconds,
        requests,
        throughput: requests / elapsedSeconds,
        errors,
        throttled,
        lostUpdates,
        policyWrites,
        policyLost,
      },
    },
    null,
    2,
  ),
);
await platform.stop();
process.exit(errors === 0 && lostUpdates === 0 && policyLost === 0 ? 0 : 1);
