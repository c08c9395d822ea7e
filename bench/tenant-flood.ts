/**
 * npx node --no-node-snapshot bench/tenant-flood.ts: tenant B's invoke latency while tenant A
 * floods the execution path with runs that never resolve (issue #8 §3), over HTTP against the
 * local platform with its default settings (LOCAL_EXECUTION_WORKERS, tenant policies) unless the
 * environment sets them.
 *
 * B's latency alone is the baseline; then A fires FLOOD hanging runs (each ended by its 5 s
 * timeout) and, once they are dispatched, B invokes a quick plugin SAMPLES times in a row. Prints
 * B's latency during the flood as a ratio to its baseline and to A's timeout, and how A's runs
 * were answered. Results go to bench/results/tenant-flood.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connectTenant, type E2eTenant } from '../test/support/e2e-tenant.ts';
import { startLocalPlatformProcess } from '../test/support/local-platform-process.ts';

const FLOOD = Number(process.env.BENCH_FLOOD_RUNS ?? 6);
const SAMPLES = 3;
const HANG_TIMEOUT_MS = 5_000;
const HANGING = 'export default { async execute() { await new Promise(() => {}); } };';
const QUICK = 'export default { execute(input) { return { echo: input }; } };';

const platform = await startLocalPlatformProcess({
  env: process.env.LOCAL_EXECUTION_WORKERS
    ? { LOCAL_EXECUTION_WORKERS: process.env.LOCAL_EXECUTION_WORKERS }
    : {},
});
const tenants = {
  a: await connectTenant(platform, 't-acme'),
  b: await connectTenant(platform, 't-globex'),
};

/** One invoke, timed, with its body read. */
async function send(tenant: E2eTenant, pluginId: string, input: unknown) {
  const started = performance.now();
  const response = await tenant.invoke(pluginId, input);
  const text = await response.text();
  return {
    status: response.status,
    ms: performance.now() - started,
    body: text ? JSON.parse(text) : undefined,
  };
}

try {
  await tenants.a.installEnabled('hang-forever', HANGING, { limits: { timeoutMs: HANG_TIMEOUT_MS } });
  await tenants.b.installEnabled('quick', QUICK, { limits: { timeoutMs: 1_000 } });
  const baseline: number[] = [];
  let coldMs = 0;
  for (let index = 0; index < SAMPLES + 1; index++) {
    const { ms, status } = await send(tenants.b, 'quick', index);
    if (status !== 200) throw new Error(`baseline invoke: ${status}`);
    if (index > 0) baseline.push(ms);
    else coldMs = ms;
  }

  const floodStarted = performance.now();
  const flood = Array.from({ length: FLOOD }, (_, index) =>
    send(tenants.a, 'hang-forever', index).then((outcome) => ({
      ...outcome,
      code: outcome.status === 200 ? outcome.body?.error?.code : outcome.body?.code,
      endedAt: performance.now() - floodStarted,
    })),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const during: { ms: number; status: number }[] = [];
  for (let index = 0; index < SAMPLES; index++) {
    const { ms, status } = await send(tenants.b, 'quick', `flood-${index}`);
    during.push({ ms, status });
  }
  const aOutcomes = await Promise.all(flood);

  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
  const baselineMs = median(baseline);
  const duringMs = median(during.map((sample) => sample.ms));
  const aCodes: Record<string, number> = {};
  for (const outcome of aOutcomes) {
    const key = `${outcome.status} ${outcome.code ?? 'ok'}`;
    aCodes[key] = (aCodes[key] ?? 0) + 1;
  }
  const result = {
    floodRuns: FLOOD,
    hangTimeoutMs: HANG_TIMEOUT_MS,
    workers: process.env.LOCAL_EXECUTION_WORKERS ?? 'default',
    bColdFirstInvokeMs: Math.round(coldMs),
    bBaselineMedianMs: Math.round(baselineMs),
    bDuringFloodMs: during.map((sample) => Math.round(sample.ms)),
    bDuringFloodStatuses: during.map((sample) => sample.status),
    bDuringOverBaseline: Number((duringMs / baselineMs).toFixed(2)),
    bDuringOverATimeout: Number((duringMs / HANG_TIMEOUT_MS).toFixed(3)),
    aOutcomes: aCodes,
    aLastEndedMs: Math.round(Math.max(...aOutcomes.map((outcome) => outcome.endedAt))),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/tenant-flood.json', import.meta.url),
    `${JSON.stringify(result, null, 2)}\n`,
  );
} finally {
  await platform.stop();
}
