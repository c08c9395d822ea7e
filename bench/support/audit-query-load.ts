/**
 * The query half of `npm run bench:audit`: BENCH_AUDIT_RECORDS (default 1,000,000) audit records of
 * one tenant in DynamoDB Local, loaded the way the outbox and the stream consumer write them (outbox
 * items with their plugin index, and patient index items for plugin runs), then the p50 and p95 of
 * each query the audit API makes, each as a ratio to a GetItem of one record by its key in the same
 * table and the same run (a lookup that does no query work).
 */
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
} from '@aws-sdk/lib-dynamodb';
import { outboxItem, patientIndexItem } from '../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbAuditQuery } from '../../shared/adapters/aws/dynamodb-audit-query.ts';
import type { AuditRecordQuery } from '../../shared/ports/audit-query-store.ts';
import { percentile } from './percentiles.ts';

const TENANT = 't-bench';
const PLUGINS = 50;
const ACTORS = 40;
const PATIENTS = 20_000;
/** One record in ten is a plugin run touching one patient; the rest are API requests and changes. */
const RUN_EVERY = 10;
const SPAN_DAYS = 30;
const BATCH = 25;
const LOADERS = 12;

export interface QueryFigure {
  readonly name: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p50Ratio: number;
  readonly p95Ratio: number;
  readonly items: number;
}

function recordAt(index: number, records: number, endMs: number) {
  const time = new Date(
    endMs - Math.floor(((records - index) * SPAN_DAYS * 86_400_000) / records),
  ).toISOString();
  const pluginId = `plugin-${index % PLUGINS}`;
  const isRun = index % RUN_EVERY === 0;
  const patientId = `patient-${(index * 7919) % PATIENTS}`;
  const detail = isRun
    ? {
        action: 'plugin:invoked',
        outcome: index % 97 === 0 ? 'failure' : 'success',
        actor: `${TENANT}/user-${index % ACTORS}`,
        tenantId: TENANT,
        pluginId,
        version: '1.0.0',
        requestId: `req-${index}`,
        resourceIds: [patientId],
        dataAccess: [{ operation: 'patients.get', outcome: 'success', count: 1, patientIds: [patientId] }],
      }
    : {
        action: 'api:request',
        outcome: index % 13 === 0 ? 'refused' : 'success',
        actor: `${TENANT}/user-${index % ACTORS}`,
        tenantId: TENANT,
        ...(index % 3 === 0 ? { pluginId } : {}),
        requestId: `req-${index}`,
        request: { routeKey: 'GET /v1/plugins/{id}', status: 200, targetIds: { id: pluginId } },
      };
  const event = { id: `rec-${index}`, name: `audit:${detail.action}`, time, tenantId: TENANT, detail };
  const items = [outboxItem(event)];
  if (isRun) {
    items.push(
      patientIndexItem({
        tenantId: TENANT,
        patientId,
        event,
        action: detail.action,
        outcome: detail.outcome,
        pluginId,
        version: '1.0.0',
        operations: ['patients.get'],
      }),
    );
  }
  return items;
}

export async function loadRecords(
  client: DynamoDBDocumentClient,
  table: string,
  records: number,
  endMs: number,
  onProgress: (written: number) => void,
): Promise<void> {
  let next = 0;
  let written = 0;
  const loader = async () => {
    const pending: Record<string, unknown>[] = [];
    while (next < records || pending.length > 0) {
      while (pending.length < BATCH && next < records) pending.push(...recordAt(next++, records, endMs));
      const batch = pending.splice(0, BATCH);
      let requests: Record<string, unknown[]> | undefined = {
        [table]: batch.map((Item) => ({ PutRequest: { Item } })),
      };
      while (requests) {
        const result: BatchWriteCommandOutput = await client.send(
          new BatchWriteCommand({ RequestItems: requests as never }),
        );
        const left: unknown[] | undefined = result.UnprocessedItems?.[table];
        requests = left && left.length > 0 ? { [table]: left } : undefined;
      }
      written += batch.length;
      if (written % 50_000 < BATCH) onProgress(written);
    }
  };
  await Promise.all(Array.from({ length: LOADERS }, loader));
}

async function timed(samples: number, run: () => Promise<number>): Promise<{ ms: number[]; items: number }> {
  const ms: number[] = [];
  let items = 0;
  for (let sample = 0; sample < samples; sample++) {
    const started = performance.now();
    items = await run();
    ms.push(performance.now() - started);
  }
  return { ms, items };
}

export async function measureQueries(
  client: DynamoDBDocumentClient,
  table: string,
  records: number,
  endMs: number,
  samples: number,
): Promise<QueryFigure[]> {
  const store = new DynamoDbAuditQuery(client, table);
  const range = (days: number) => ({
    from: new Date(endMs - days * 86_400_000).toISOString(),
    to: new Date(endMs).toISOString(),
  });
  const probe = recordAt(Math.floor(records / 2), records, endMs)[0] as { PK: string; SK: string };
  const baseline = await timed(samples, async () => {
    await client.send(new GetCommand({ TableName: table, Key: { PK: probe.PK, SK: probe.SK } }));
    return 1;
  });
  const base = { p50: percentile(baseline.ms, 50), p95: percentile(baseline.ms, 95) };
  const query = (name: string, shape: Omit<AuditRecordQuery, 'tenantId' | 'limit'>) => ({
    name,
    run: async () => (await store.listRecords({ tenantId: TENANT, limit: 50, ...shape })).items.length,
  });
  const cases = [
    query('newest 50, last 24 h', { range: range(1), filter: {} }),
    query('newest 50, whole 30 days', { range: range(30), filter: {} }),
    query('by plugin, 30 days', { range: range(30), pluginId: 'plugin-7', filter: {} }),
    query('by patient, 30 days', { range: range(30), patientId: 'patient-4240', filter: {} }),
    query('by action (plugin runs), 24 h', { range: range(1), filter: { action: 'plugin:invoked' } }),
    query('by actor, 24 h', { range: range(1), filter: { actor: `${TENANT}/user-3` } }),
    query('failures, 24 h', { range: range(1), filter: { outcome: 'failure' } }),
    {
      name: 'disclosures of a patient, 30 days',
      run: async () =>
        (
          await store.listDisclosures({
            tenantId: TENANT,
            patientId: 'patient-4240',
            range: range(30),
            limit: 50,
          })
        ).items.length,
    },
  ];
  const figures: QueryFigure[] = [];
  for (const { name, run } of cases) {
    await run();
    const { ms, items } = await timed(samples, run);
    const p50 = percentile(ms, 50);
    const p95 = percentile(ms, 95);
    figures.push({ name, p50Ms: p50, p95Ms: p95, p50Ratio: p50 / base.p50, p95Ratio: p95 / base.p95, items });
  }
  return [
    {
      name: 'baseline: GetItem by key',
      p50Ms: base.p50,
      p95Ms: base.p95,
      p50Ratio: 1,
      p95Ratio: 1,
      items: 1,
    },
    ...figures,
  ];
}
