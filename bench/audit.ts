/**
 * npm run bench:audit — what the audit trail costs (issue #10).
 *
 * 1. Write cost per invocation: the execution function's handler, wired as deployed against the
 *    local platform's DynamoDB Local and s3rver, runs a plugin that reads patients (a search and a
 *    get), SAMPLES times with its audit (the run's record and events in the settle transaction)
 *    and SAMPLES times with the outbox entries dropped (a bench-only decorator, the "invocation
 *    without audit" baseline), interleaved; plus the lifecycle function's `api:request` append.
 *    Prints p50s and the ratio (with audit + request record) / without.
 * 2. Query p95 over BENCH_AUDIT_RECORDS (default 1,000,000) records: see support/audit-query-load.ts.
 * Results go to bench/results/audit.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_BUCKET_NAMES } from '../apps/local-platform/local-buckets.ts';
import { ensureTables, LOCAL_TABLE_NAMES } from '../apps/local-platform/local-tables.ts';
import { startDynamoDbLocal } from '../apps/local-platform/stand-ins/dynamodb-local.ts';
import { loadExecutionConfig } from '../functions/execution/config.ts';
import { createExecutionHandler } from '../functions/execution/dispatch.ts';
import { wireExecution } from '../functions/execution/wiring.ts';
import { createDocumentClient } from '../shared/adapters/aws/dynamodb-document-client.ts';
import type { RunLedger } from '../shared/ports/run-ledger.ts';
import { appendAudit } from '../shared/services/audit/audit-trail.ts';
import { connectTenant } from '../test/support/e2e-tenant.ts';
import { startLocalPlatformInProcess } from '../test/support/local-platform-in-process.ts';
import { loadRecords, measureQueries } from './support/audit-query-load.ts';
import { percentile } from './support/percentiles.ts';

const SAMPLES = Number(process.env.BENCH_AUDIT_SAMPLES ?? 200);
const RECORDS = Number(process.env.BENCH_AUDIT_RECORDS ?? 1_000_000);
const QUERY_SAMPLES = 200;
const round = (value: number) => Math.round(value * 100) / 100;

const CHART_READER = `export default {
  async execute(input, api) {
    const found = await api.patients.search({});
    const patient = await api.patients.get(found[1].id);
    return { read: patient.id, seen: found.length };
  },
};`;

/** The baseline's only difference: the run's outbox entries are not written. */
const withoutOutbox = (ledger: RunLedger): RunLedger => ({
  readContext: (tenantId, pluginId) => ledger.readContext(tenantId, pluginId),
  settle: (settlement) => ledger.settle({ ...settlement, outbox: [] }),
});

async function writeCost() {
  const platform = await startLocalPlatformInProcess({ seed: true });
  try {
    const acme = await connectTenant(platform, 't-acme');
    await acme.installEnabled('chart-reader', CHART_READER, { permissions: ['read:patients'] });
    const config = loadExecutionConfig({
      PLATFORM_MODE: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: platform.endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: platform.endpoints.s3,
      S3_FORCE_PATH_STYLE: 'true',
      PLUGINS_TABLE: LOCAL_TABLE_NAMES.plugins,
      MARKETPLACE_TABLE: LOCAL_TABLE_NAMES.marketplace,
      AUDIT_TABLE: LOCAL_TABLE_NAMES.audit,
      ARTIFACT_BUCKET: LOCAL_BUCKET_NAMES.artifacts,
      COMPLIANCE_LOG_BUCKET: LOCAL_BUCKET_NAMES.complianceLog,
      LOCAL_SIGNING_KEY_FILE: join(platform.dataDirectory, 'keys', 'platform-signing-key.pem'),
      // The demo tenant's EHR: its signing key, and the FHIR stand-in it is connected to.
      LOCAL_EHR_KEYS_DIRECTORY: join(platform.dataDirectory, 'keys', 'ehr'),
      EHR_LOOPBACK_ORIGINS: platform.endpoints.fhir,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const wired = wireExecution(config);
    const audited = createExecutionHandler(wired);
    const unaudited = createExecutionHandler({
      ...wired,
      ledger: withoutOutbox(wired.ledger),
      trail: { ...wired.trail, outbox: { append: async () => {} } },
    });
    let n = 0;
    const invocation = () => ({
      kind: 'invoke' as const,
      tenantId: 't-acme',
      pluginId: 'chart-reader',
      actor: 'bench-user',
      requestId: `bench-${n++}`,
      input: null,
    });
    const timeOne = async (handler: typeof audited) => {
      const started = performance.now();
      const outcome = (await handler(invocation())) as { kind?: string; result?: { ok?: boolean } };
      const ms = performance.now() - started;
      if (outcome.kind !== 'ran' || outcome.result?.ok !== true)
        throw new Error(`invocation did not run: ${JSON.stringify(outcome).slice(0, 300)}`);
      return ms;
    };
    const requestRecord = async () => {
      const started = performance.now();
      await appendAudit(wired.trail, [
        {
          action: 'api:request',
          outcome: 'success',
          actor: 't-acme/bench-user',
          tenantId: 't-acme',
          pluginId: 'chart-reader',
          requestId: `bench-request-${n++}`,
          request: {
            routeKey: 'POST /v1/plugins/{id}/invoke',
            status: 200,
            targetIds: { id: 'chart-reader' },
          },
        },
      ]);
      return performance.now() - started;
    };
    for (let warm = 0; warm < 20; warm++) {
      await timeOne(audited);
      await timeOne(unaudited);
      await requestRecord();
    }
    const withAudit: number[] = [];
    const withoutAudit: number[] = [];
    const requestRecords: number[] = [];
    for (let sample = 0; sample < SAMPLES; sample++) {
      withAudit.push(await timeOne(audited));
      withoutAudit.push(await timeOne(unaudited));
      requestRecords.push(await requestRecord());
    }
    const p50 = {
      withAudit: percentile(withAudit, 50),
      withoutAudit: percentile(withoutAudit, 50),
      requestRecord: percentile(requestRecords, 50),
    };
    return {
      samples: SAMPLES,
      p50Ms: {
        withAudit: round(p50.withAudit),
        withoutAudit: round(p50.withoutAudit),
        requestRecord: round(p50.requestRecord),
      },
      ratioRunWithAuditToWithout: round(p50.withAudit / p50.withoutAudit),
      ratioRunAndRequestRecordToWithout: round((p50.withAudit + p50.requestRecord) / p50.withoutAudit),
    };
  } finally {
    await platform.stop();
  }
}

async function queryCost() {
  const dynamodb = await startDynamoDbLocal();
  const settings = {
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  };
  const names = {
    plugins: 'bench-plugins',
    marketplace: 'bench-marketplace',
    ehr: 'bench-ehr',
    audit: 'bench-audit',
  };
  try {
    const raw = new DynamoDBClient(settings);
    await ensureTables(raw, names);
    raw.destroy();
    const client = createDocumentClient(settings);
    const endMs = Date.now();
    const started = performance.now();
    await loadRecords(client, names.audit, RECORDS, endMs, (written) =>
      process.stdout.write(`  loaded ${written.toLocaleString('en-US')} items\r`),
    );
    const loadSeconds = (performance.now() - started) / 1000;
    console.log(`\n  ${RECORDS.toLocaleString('en-US')} records loaded in ${loadSeconds.toFixed(0)} s`);
    const figures = await measureQueries(client, names.audit, RECORDS, endMs, QUERY_SAMPLES);
    return { records: RECORDS, loadSeconds: Math.round(loadSeconds), samples: QUERY_SAMPLES, figures };
  } finally {
    await dynamodb.stop();
  }
}

console.log(`bench:audit — write cost over ${SAMPLES} invocations each way`);
const write = await writeCost();
console.table([
  { case: 'invocation with its audit (settle transaction holds the record)', p50Ms: write.p50Ms.withAudit },
  { case: 'invocation without audit (baseline, entries dropped)', p50Ms: write.p50Ms.withoutAudit },
  { case: 'api:request record append (lifecycle function)', p50Ms: write.p50Ms.requestRecord },
]);
console.log(
  `ratio with/without: run ${write.ratioRunWithAuditToWithout}×, run + request record ${write.ratioRunAndRequestRecordToWithout}×`,
);

console.log(`\nbench:audit — query p95 over ${RECORDS.toLocaleString('en-US')} records of one tenant`);
const query = await queryCost();
console.table(
  query.figures.map((figure) => ({
    query: figure.name,
    p50Ms: round(figure.p50Ms),
    p95Ms: round(figure.p95Ms),
    'p95 × GetItem': round(figure.p95Ratio),
    items: figure.items,
  })),
);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/audit.json', import.meta.url),
  `${JSON.stringify({ write, query: { ...query, figures: query.figures.map((f) => ({ ...f, p50Ms: round(f.p50Ms), p95Ms: round(f.p95Ms), p50Ratio: round(f.p50Ratio), p95Ratio: round(f.p95Ratio) })) } }, null, 2)}\n`,
);
console.log('results written to bench/results/audit.json');
process.exit(0);
