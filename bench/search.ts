/**
 * npm run bench:search — marketplace search in the handler, as the deployed function runs it.
 *
 * 1. Cold: a fresh handler (real wiring, real DynamoDB adapter) against DynamoDB Local holding
 *    10,000 plugins: time until the first search is answered (catalogue read + index build + query).
 * 2. Warm: p50/p95 of a mix of typical searches through the handler (JWT check included) at
 *    1,000, 10,000 and 100,000 plugins, and of the index alone.
 * 3. Baseline in the same run: a linear `Array.filter` scan over the same entries with the same
 *    matching rules; each index figure is printed with its ratio to the scan.
 * Results go to bench/results/search.json. Sizes: BENCH_SEARCH_SIZES=1000,10000,100000.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ensureTables } from '../apps/local-platform/local-tables.ts';
import { startDynamoDbLocal } from '../apps/local-platform/stand-ins/dynamodb-local.ts';
import { startS3Local } from '../apps/local-platform/stand-ins/s3-local.ts';
import { MarketplaceConfigSchema } from '../functions/marketplace/config.ts';
import { createMarketplaceHandler } from '../functions/marketplace/wiring.ts';
import { createDocumentClient } from '../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbMarketplaceCatalogue } from '../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import type { CatalogueEntry } from '../shared/domain/marketplace.ts';
import { SearchIndex } from '../shared/search/search-index.ts';
import { parseSearchQuery } from '../shared/search/search-query.ts';
import { dynamoDbClientSettings } from '../shared/wiring/aws-client-settings.ts';
import { percentile } from './support/percentiles.ts';

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const COLD_SIZE = 10_000;
const WARMUP = 200;
const SAMPLES = 2_000;
/** The scan is slow at 100,000 plugins; 400 samples still give a stable p95. */
const SCAN_SAMPLES = 400;

const WORDS = `lab result chart patient appointment reminder schedule triage vitals allergy medication dose
  billing claim insurance referral discharge summary imaging radiology cardiology oncology pediatric nurse
  handoff shift roster telehealth video consent form intake survey outcome quality measure registry
  diabetes glucose blood pressure heart rate sepsis alert early warning score fall risk pain note
  dictation transcript coding audit export import fhir hl7 sync inventory pharmacy formulary`.split(/\s+/);
const TAGS = Array.from({ length: 40 }, (_, index) => `${WORDS[index % WORDS.length]}-${index}`);

/** Deterministic pseudo-random numbers, so every run measures the same catalogue. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function generateEntries(count: number): CatalogueEntry[] {
  const random = prng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  return Array.from({ length: count }, (_, index) => {
    const ratingCount = Math.floor(random() * 50);
    const sum = Math.round(ratingCount * (1 + random() * 4));
    return {
      pluginId: `plugin-${index}` as CatalogueEntry['pluginId'],
      publisherId: `publisher-${index % 500}`,
      name: `${words(2)} ${index}`,
      description: words(12 + Math.floor(random() * 12)),
      author: `Publisher ${index % 500}`,
      tags: [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(TAGS)))],
      latestVersion: '1.0.0',
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: new Date(Date.UTC(2030, 0, 1) + Math.floor(random() * 3e10)).toISOString(),
      downloads: Math.floor(1 / (random() + 0.0005)),
      rating: {
        count: ratingCount,
        sum,
        average: ratingCount === 0 ? 0 : Math.round((sum / ratingCount) * 100) / 100,
        histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: ratingCount },
      },
      publisherVerified: index % 7 === 0,
      securityStatus: 'clean' as const,
    };
  });
}

/** A typical mix: one or two words, a prefix, a tag filter, and browsing sorted lists. */
const TYPICAL_QUERIES: Record<string, string>[] = [
  { query: 'lab' },
  { query: 'appointment reminder' },
  { query: 'sched', sort: 'downloads' },
  { query: 'blood pressure alert' },
  { query: '', tags: TAGS[3] as string, sort: 'rating' },
  { query: 'patient', tags: TAGS[7] as string },
  { query: '', sort: 'updated' },
  { query: 'fhir sync', sort: 'name' },
];

async function timeEach(run: (index: number) => Promise<unknown> | unknown, samples = SAMPLES) {
  for (let index = 0; index < Math.min(WARMUP, samples / 4); index++) await run(index);
  const times: number[] = [];
  for (let index = 0; index < samples; index++) {
    const start = performance.now();
    await run(index);
    times.push(performance.now() - start);
  }
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The baseline: what a naive implementation does, an `Array.filter` over every entry per request
 * (lower-cased text prepared once, substring match per term), then a sort of the matches.
 */
function linearScan(entries: readonly ScanEntry[], parameters: Record<string, string>) {
  const terms = parseSearchQuery(parameters.query ?? '');
  const tags = parameters.tags ? parameters.tags.split(',') : [];
  const matches = entries.filter(
    (entry) =>
      tags.every((tag) => entry.entry.tags.includes(tag)) && terms.every((term) => entry.text.includes(term)),
  );
  return matches.sort((a, b) => b.entry.downloads - a.entry.downloads).slice(0, 20);
}

interface ScanEntry {
  readonly entry: CatalogueEntry;
  readonly text: string;
}

const toScanEntry = (entry: CatalogueEntry): ScanEntry => ({
  entry,
  text: `${entry.name} ${entry.tags.join(' ')} ${entry.author} ${entry.description}`.toLowerCase(),
});

async function main() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' }] };
  const token = await new SignJWT({ tenant_id: 't-bench', sub: 'bench', scope: 'plugins:read' })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
    .setIssuer('https://bench.local/')
    .setAudience('gradiant-plugins')
    .setExpirationTime('1h')
    .sign(privateKey);

  const dynamodb = await startDynamoDbLocal();
  const dataDirectory = mkdtempSync(join(tmpdir(), 'bench-search-'));
  const s3 = await startS3Local({ directory: join(dataDirectory, 's3'), buckets: ['bench-artifacts'] });
  const tableNames = {
    plugins: 'bench-plugins',
    marketplace: 'bench-marketplace',
    ehr: 'bench-ehr',
    audit: 'bench-audit',
  };
  const config = MarketplaceConfigSchema.parse({
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    JWT_ISSUER: 'https://bench.local/',
    JWT_AUDIENCE: 'gradiant-plugins',
    JWT_JWKS: JSON.stringify(jwks),
    PLATFORM_MODE: 'local',
    PLUGINS_TABLE: tableNames.plugins,
    MARKETPLACE_TABLE: tableNames.marketplace,
    AUDIT_TABLE: tableNames.audit,
    ARTIFACT_BUCKET: 'bench-artifacts',
    COMPLIANCE_LOG_BUCKET: 'bench-compliance',
    LOCAL_SIGNING_KEY_FILE: join(dataDirectory, 'key.pem'),
    LOCAL_CURSOR_KEY_FILE: join(dataDirectory, 'cursor-key.bin'),
    S3_FORCE_PATH_STYLE: 'true',
  });
  const raw = new DynamoDBClient(dynamoDbClientSettings(config));
  await ensureTables(raw, tableNames);

  const event = (parameters: Record<string, string>): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: 'GET /v1/marketplace/plugins',
      rawPath: '/v1/marketplace/plugins',
      rawQueryString: new URLSearchParams(parameters).toString(),
      headers: { authorization: `Bearer ${token}` },
      queryStringParameters: parameters,
      requestContext: { requestId: 'bench', http: { method: 'GET', path: '/v1/marketplace/plugins' } },
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEventV2;
  const context = {} as never;

  try {
    // 1. Cold start against DynamoDB Local at 10,000 plugins.
    const coldEntries = generateEntries(COLD_SIZE);
    const documentClient = createDocumentClient(dynamoDbClientSettings(config));
    const writeStart = performance.now();
    await writeEntries(documentClient, tableNames.marketplace, coldEntries);
    console.log(
      `seeded ${COLD_SIZE} plugins into DynamoDB Local in ${Math.round(performance.now() - writeStart)} ms`,
    );
    // The first instance ever finds no snapshot: it pages through the table and writes one.
    const tableStart = performance.now();
    const first = await createMarketplaceHandler(config)(event({ query: 'lab' }), context);
    const coldFromTableMs = round(performance.now() - tableStart);
    if (first.statusCode !== 200) throw new Error(`cold search answered ${first.statusCode}: ${first.body}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Every later cold start: one snapshot read, index build, first search.
    const coldStart = performance.now();
    const second = await createMarketplaceHandler(config)(event({ query: 'lab' }), context);
    const coldReadyMs = round(performance.now() - coldStart);
    if (second.statusCode !== 200)
      throw new Error(`cold search answered ${second.statusCode}: ${second.body}`);
    console.log(`cold handler ready, ${COLD_SIZE} plugins, from the catalogue snapshot: ${coldReadyMs} ms`);
    console.log(
      `cold handler ready, ${COLD_SIZE} plugins, first instance paging the table (DynamoDB Local): ${coldFromTableMs} ms`,
    );

    // 2 and 3. Warm figures per size, handler and index, against the linear-scan baseline.
    const sizes: Record<string, unknown>[] = [];
    for (const size of SIZES) {
      const entries = generateEntries(size);
      class GeneratedCatalogue extends DynamoDbMarketplaceCatalogue {
        override async listEntries() {
          return entries;
        }
      }
      const buildStart = performance.now();
      const search = new SearchIndex(
        entries.map((entry) => ({
          ...entry,
          id: entry.pluginId,
          publisher: entry.author,
          rating: entry.rating.average,
        })),
      );
      const indexBuildMs = round(performance.now() - buildStart);
      // The same wiring and handler, with the catalogue served from memory: no DynamoDB in the loop.
      const handler = createMarketplaceHandler(config, {
        catalogue: new GeneratedCatalogue(documentClient, tableNames.marketplace, tableNames.audit),
        // No snapshot: the index must come from this size's catalogue, not the cold run's snapshot.
        snapshots: { read: async () => undefined, write: async () => undefined },
      });
      const queryOf = (index: number) =>
        TYPICAL_QUERIES[index % TYPICAL_QUERIES.length] as Record<string, string>;

      const inHandler = await timeEach(async (index) => {
        const response = await handler(event(queryOf(index)), context);
        if (response.statusCode !== 200) throw new Error(`search answered ${response.statusCode}`);
      });
      const indexOnly = await timeEach((index) => {
        const parameters = queryOf(index);
        return search.search({
          terms: parseSearchQuery(parameters.query ?? ''),
          tags: parameters.tags ? [parameters.tags] : [],
          sort: (parameters.sort as 'relevance') ?? 'relevance',
          offset: 0,
          limit: 20,
        });
      });
      const scanEntries = entries.map(toScanEntry);
      const scan = await timeEach((index) => linearScan(scanEntries, queryOf(index)), SCAN_SAMPLES);
      const result = {
        plugins: size,
        indexBuildMs,
        handler: inHandler,
        index: indexOnly,
        linearScan: scan,
        ratioHandlerP95ToScanP95: round(inHandler.p95 / scan.p95),
        ratioIndexP95ToScanP95: round(indexOnly.p95 / scan.p95),
      };
      sizes.push(result);
      console.log(
        `${String(size).padStart(7)} plugins: handler p50 ${inHandler.p50} ms p95 ${inHandler.p95} ms | index p95 ${indexOnly.p95} ms | ` +
          `scan p95 ${scan.p95} ms | handler/scan ${result.ratioHandlerP95ToScanP95}x index/scan ${result.ratioIndexP95ToScanP95}x | build ${indexBuildMs} ms`,
      );
    }
    const base = sizes[0] as { plugins: number; handler: { p95: number }; linearScan: { p95: number } };
    for (const size of sizes as {
      plugins: number;
      handler: { p95: number };
      linearScan: { p95: number };
    }[]) {
      console.log(
        `growth ${base.plugins} → ${size.plugins}: handler p95 ×${round(size.handler.p95 / base.handler.p95)}, scan p95 ×${round(size.linearScan.p95 / base.linearScan.p95)}`,
      );
    }
    const results = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      samplesPerFigure: SAMPLES,
      queries: TYPICAL_QUERIES,
      cold: {
        plugins: COLD_SIZE,
        readyFromSnapshotMs: coldReadyMs,
        firstInstanceFromTableMs: coldFromTableMs,
      },
      sizes,
      targets: { warmP95MsAt10k: 5, coldReadyMs: 1000 },
    };
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/search.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
    console.log('results written to bench/results/search.json');
  } finally {
    raw.destroy();
    await Promise.allSettled([dynamodb.stop(), s3.stop()]);
  }
}

async function writeEntries(
  client: ReturnType<typeof createDocumentClient>,
  table: string,
  entries: readonly CatalogueEntry[],
) {
  const batches: CatalogueEntry[][] = [];
  for (let start = 0; start < entries.length; start += 25) batches.push(entries.slice(start, start + 25));
  const workers = Array.from({ length: 8 }, async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      let pending: Record<string, unknown>[] = batch.map((entry) => ({
        PutRequest: {
          Item: {
            PK: `PLUGIN#${entry.pluginId}`,
            SK: 'ENTRY',
            GSI1PK: 'CATALOGUE',
            GSI1SK: `PLUGIN#${entry.pluginId}`,
            ...entry,
            rating: undefined,
            ratingCount: entry.rating.count,
            ratingSum: entry.rating.sum,
            star5: entry.rating.count,
          },
        },
      }));
      while (pending.length > 0) {
        const result = await client.send(
          new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
        );
        pending = (result.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
      }
    }
  });
  await Promise.all(workers);
}

await main();
