/**
 * `npm run bench:ehr`: what the plugin API's EHR path costs over FHIR R4, against the FHIR
 * stand-in on loopback, all measured in the same run.
 *
 * 1. A raw FHIR read (`GET Patient/p-001` with a bearer token over a keep-alive node:http agent,
 *    the body parsed, nothing else) is the baseline.
 * 2. The same read through the FHIR adapter (`FhirEhrRepository.getPatient`: connection lookup,
 *    cached token, SSRF guard, retry wrapper, projection), and through a plugin's `api.patients.get`
 *    in the sandbox (per call, from a run of 20 calls minus a run of none), as ratios to (1).
 * 3. The token cache under 50 concurrent invocations of one tenant, cold: token requests made,
 *    and the hit rate (calls served by a cached or in-flight token) of that burst and of the next.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFhirResources } from '../apps/local-platform/demo/demo-fhir-data.ts';
import { startLocalFhirServer } from '../apps/local-platform/stand-ins/fhir/local-fhir-server.ts';
import { createFhirEhrAdapter } from '../shared/adapters/fhir/create-fhir-ehr-adapter.ts';
import { createFileEhrSigningKeys } from '../shared/adapters/local/file-ehr-signing-keys.ts';
import type { EhrConnection } from '../shared/domain/ehr-connection.ts';
import type { TenantId } from '../shared/domain/identifiers.ts';
import type { EhrConnectionRepository } from '../shared/ports/ehr-connection-repository.ts';
import { PluginSandbox } from '../shared/sandbox/plugin-sandbox.ts';
import { createPlatformHost } from '../shared/services/execution/platform-host.ts';
import { percentile } from './support/percentiles.ts';

const TENANT = 't-bench' as TenantId;
const SAMPLES = 300;
const CALLS_PER_RUN = 20;
const CONCURRENT = 50;
const SCOPES = ['system/Patient.rus', 'system/Appointment.crus'];
const clock = { now: () => new Date() };

const fhir = await startLocalFhirServer({ port: 0 });
const base = fhir.addBase(TENANT);
await base.seed(demoFhirResources('t-acme', new Date()));

// The tenant's signing key as the platform keeps it locally, published at a loopback JWKS URL.
const signingKeys = createFileEhrSigningKeys(mkdtempSync(join(tmpdir(), 'gradiant-bench-ehr-')));
const keyId = await signingKeys.ensure(TENANT, 'ES384');
const jwksServer = createServer(async (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ keys: await signingKeys.publicKeys(TENANT) }));
});
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const jwksPort = (jwksServer.address() as { port: number }).port;
base.registerClient({
  clientId: 'bench-client',
  jwksUrl: `http://127.0.0.1:${jwksPort}/jwks.json`,
  scopes: SCOPES,
});

const connection: EhrConnection = {
  tenantId: TENANT,
  fhirBaseUrl: base.baseUrl,
  clientId: 'bench-client',
  resolvedTokenEndpoint: base.tokenEndpoint,
  scopes: SCOPES,
  signingAlgorithm: 'ES384',
  keyId,
  version: 1,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  updatedBy: 'bench',
};
// The bench's one connection, in place of the DynamoDB store (whose cost is not the subject here).
const connections: EhrConnectionRepository = {
  get: async (tenantId) => (tenantId === TENANT ? connection : undefined),
  put: async () => {
    throw new Error('read-only in the bench');
  },
};
const adapterFor = () =>
  createFhirEhrAdapter({ connections, signingKeys, clock, allowedLoopbackOrigins: [fhir.origin] });

const timeIt = async (run: () => Promise<unknown>, samples = SAMPLES) => {
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
};

// 1. Raw FHIR read with a token obtained once.
const warm = adapterFor();
const token = await warm.tokens.accessToken(connection, Date.now() + 10_000);
// The leanest client there is: node:http with keep-alive, the body read and parsed, nothing else.
const agent = new Agent({ keepAlive: true });
const rawRead = () =>
  new Promise<unknown>((resolve, reject) => {
    const request = httpRequest(
      `${base.baseUrl}/Patient/p-001`,
      { agent, headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
const raw = await timeIt(rawRead);

// 2a. Through the adapter.
const scope = () => ({ tenantId: TENANT, deadlineAt: Date.now() + 10_000 });
const adapter = await timeIt(() => warm.repository.getPatient(scope(), 'p-001'));

// 2b. Through a plugin's api.patients.get, per call.
const sandbox = new PluginSandbox({ maxIsolatesPerKey: 1 });
const outbox = { append: async () => undefined, commit: () => undefined };
const runPlugin = (calls: number) => {
  const host = createPlatformHost(
    { tenantId: TENANT, pluginId: 'bench-reader', deadlineAt: Date.now() + 10_000 },
    { ehr: warm.repository, outbox, clock, ids: { next: () => crypto.randomUUID() } },
  );
  return sandbox.run({
    code: `export default { async execute(input, api) { for (let i = 0; i < ${calls}; i++) await api.patients.get('p-001'); return null; } };`,
    input: null,
    grants: ['read:patients'],
    tenantId: TENANT,
    host,
    limits: { databaseQueriesPerMinute: 1e9, cpuMsPerMinute: 1e9 },
  });
};
const check = await runPlugin(1);
if (!check.ok) throw new Error(`plugin run failed: ${check.error.code} ${check.error.message}`);
const pluginRuns = await timeIt(() => runPlugin(CALLS_PER_RUN), 60);
const emptyRuns = await timeIt(() => runPlugin(0), 60);
const perPluginCall = (pluginRuns.p50 - emptyRuns.p50) / CALLS_PER_RUN;

// 3. Token cache: 50 concurrent invocations on a cold instance, then 50 more.
const cold = adapterFor();
const tokenRequestsBefore = base.tokenRequests;
const burst = () =>
  Promise.all(Array.from({ length: CONCURRENT }, () => cold.repository.getPatient(scope(), 'p-001')));
await burst();
const first = cold.tokens.counts();
const firstRequests = base.tokenRequests - tokenRequestsBefore;
await burst();
const second = cold.tokens.counts();
const hitRate = (counts: { hits: number; joined: number; requests: number }) =>
  (counts.hits + counts.joined) / Math.max(1, counts.hits + counts.joined + counts.requests);
const secondDelta = {
  hits: second.hits - first.hits,
  joined: second.joined - first.joined,
  requests: second.requests - first.requests,
};

console.log(`\nPlugin data calls over FHIR R4 (FHIR stand-in on loopback; p50 of ${SAMPLES}, ms)`);
console.log(`${'path'.padEnd(46)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'× raw'.padStart(8)}`);
const row = (name: string, p50: number, p99?: number) =>
  console.log(
    `${name.padEnd(46)} ${p50.toFixed(2).padStart(8)} ${(p99 === undefined ? '' : p99.toFixed(2)).padStart(8)} ${(p50 / raw.p50).toFixed(2).padStart(8)}`,
  );
row('raw FHIR read (node:http keep-alive + token)', raw.p50, raw.p99);
row('FhirEhrRepository.getPatient', adapter.p50, adapter.p99);
row(`api.patients.get in the sandbox (per call)`, perPluginCall);
console.log(`\nToken cache, ${CONCURRENT} concurrent invocations of one tenant`);
console.log(
  `  cold instance: ${firstRequests} token request(s) at the EHR, hit rate ${(hitRate(first) * 100).toFixed(1)}% (${first.hits} cached, ${first.joined} joined an in-flight request)`,
);
console.log(
  `  next burst:    ${secondDelta.requests} token request(s), hit rate ${(hitRate(secondDelta) * 100).toFixed(1)}%`,
);

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/ehr.json',
  `${JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      rawFhirRead: raw,
      adapterRead: { ...adapter, ratioToRaw: adapter.p50 / raw.p50 },
      pluginCall: { p50: perPluginCall, ratioToRaw: perPluginCall / raw.p50 },
      tokenCache: {
        concurrent: CONCURRENT,
        coldTokenRequests: firstRequests,
        coldHitRate: hitRate(first),
        warmHitRate: hitRate(secondDelta),
      },
    },
    null,
    2,
  )}\n`,
);
await sandbox.dispose();
jwksServer.close();
agent.destroy();
await fhir.close();
