// npm run bench:sandbox: the sandbox against a plain in-process call and node:vm, in one run.
// Prints every figure with its ratios and pass/fail per target; writes bench/results/sandbox.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { PluginSandbox } from '../shared/sandbox/plugin-sandbox.ts';
import { toPluginBody } from '../shared/sandbox/plugin-source.ts';
import { percentile } from './support/percentiles.ts';
import { VmBaseline, type VmHost } from './support/vm-baseline.ts';

setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const PATIENT = { id: 'p1', name: 'Ada Example', birthDate: '1980-01-02', gender: 'female' };
const RECORDS = Array.from({ length: 1_000 }, (_, index) => ({
  id: `p-${index}`,
  name: `Patient ${index} Example`,
  birthDate: '1980-01-02',
  gender: index % 2 === 0 ? 'female' : 'male',
  phone: '+1-555-0100',
  email: `patient${index}@example.org`,
}));

const vmHost: VmHost = { get: async () => PATIENT, search: async () => RECORDS };
const host = {
  patients: { search: async () => RECORDS, get: async () => PATIENT, update: async () => PATIENT },
  appointments: { schedule: async () => ({}), cancel: async () => null, reschedule: async () => null },
};
const GRANTS = ['read:patients'];

const PLUGINS = {
  tiny: 'export default { execute(input) { return { value: input.n + 1 }; } };',
  oneCall:
    "export default { async execute(input, api) { const p = await api.patients.get('p1'); return { id: p.id }; } };",
  furtherCalls:
    "export default { async execute(input, api) { let p; for (let i = 0; i < 51; i++) p = await api.patients.get('p1'); return { id: p.id }; } };",
  records: 'export default { async execute(input, api) { return api.patients.search({}); } };',
  work: 'export default { execute(input) { let x = 0; for (let i = 0; i < 20000; i++) x += i % 7; return { x }; } };',
  syncSpin: 'export default { execute() { for (;;) {} } };',
  microtaskLoop: 'export default { async execute() { for (;;) await null; } };',
  spinAfterAwait:
    "export default { async execute(input, api) { await api.patients.get('p1'); for (;;) {} } };",
  // Hostile loops on refused hooks (issue #8): the host must stay cheap enough to stop them on time.
  emitFlood:
    "export default { execute(input, api) { for (;;) { try { api.events.emit('tick', {}); } catch {} } } };",
  logFlood: "export default { execute(input, api) { for (;;) api.logger.info('line'); } };",
};
const INPUT = { n: 1 };
const INPUT_JSON = JSON.stringify(INPUT);

type Sample = () => Promise<unknown>;

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeEach(count: number, sample: Sample, warmup = Math.min(50, count)): Promise<number[]> {
  for (let index = 0; index < warmup; index++) await sample();
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await sample();
    times.push(performance.now() - started);
  }
  return times;
}

async function timeInterleaved<Name extends string>(
  count: number,
  samples: Record<Name, Sample>,
): Promise<Record<Name, number>> {
  const entries = Object.entries(samples) as [Name, Sample][];
  const times = new Map<Name, number[]>(entries.map(([name]) => [name, []]));
  for (let index = -50; index < count; index++) {
    for (let offset = 0; offset < entries.length; offset++) {
      const [name, sample] = entries[(index + 50 + offset) % entries.length] as [Name, Sample];
      const started = performance.now();
      await sample();
      if (index >= 0) times.get(name)?.push(performance.now() - started);
    }
  }
  return Object.fromEntries([...times].map(([name, values]) => [name, median(values)])) as Record<
    Name,
    number
  >;
}

function plainPlugin(code: string): { execute(input: unknown, api: unknown): unknown } {
  const body = toPluginBody(code);
  if (!body.ok) throw new Error(body.message);
  const factory = new Function(
    `let __gradiantDefaultExport;\n${body.body}\n;return __gradiantDefaultExport;`,
  );
  return factory() as { execute(input: unknown, api: unknown): unknown };
}

const plainApi = { patients: { get: async () => PATIENT, search: async () => RECORDS } };
const plainApiJson = {
  patients: {
    get: async () => JSON.parse(JSON.stringify(PATIENT)),
    search: async () => JSON.parse(JSON.stringify(RECORDS)),
  },
};

interface Row {
  name: string;
  sandboxMs: number;
  vmMs: number;
  plainMs: number;
  target: string;
  ratioToVm: number;
  pass: boolean;
}
const rows: Row[] = [];
const extra: Record<string, unknown> = {};

function record(
  name: string,
  sandboxMs: number,
  vmMs: number,
  plainMs: number,
  target: string,
  pass: boolean,
) {
  rows.push({ name, sandboxMs, vmMs, plainMs, target, ratioToVm: sandboxMs / vmMs, pass });
}

const sandbox = new PluginSandbox({ maxIsolatesPerKey: 4 });
// The per-minute limits would stop a benchmark that runs thousands of invocations a minute.
const UNLIMITED = { databaseQueriesPerMinute: 1e9, cpuMsPerMinute: 1e9 };
const run = (code: string, tenantId = 't-bench', limits?: { timeoutMs: number }) =>
  sandbox.run({ code, input: INPUT, grants: GRANTS, tenantId, host, limits: { ...UNLIMITED, ...limits } });
async function mustSucceed(code: string, tenantId?: string): Promise<void> {
  const result = await run(code, tenantId);
  if (!result.ok) throw new Error(`benchmark run failed: ${result.error.code} ${result.error.message}`);
}

const startedAt = performance.now();

// Cold start: a new sandbox (so a new isolate, no compiled code, no cached data) and a source
// the process has never compiled, against node:vm compiling a never-seen script.
{
  const coldSandbox: number[] = [];
  const coldVm: number[] = [];
  const coldPlain: number[] = [];
  for (let index = 0; index < 40; index++) {
    const code = `${PLUGINS.tiny}\n// cold ${index}`;
    const fresh = new PluginSandbox();
    let started = performance.now();
    const result = await fresh.run({ code, input: INPUT, grants: GRANTS, tenantId: 't-cold', host });
    coldSandbox.push(performance.now() - started);
    if (!result.ok) throw new Error('cold run failed');
    await fresh.dispose();
    started = performance.now();
    await VmBaseline.runScript(VmBaseline.compile(code), INPUT_JSON, vmHost);
    coldVm.push(performance.now() - started);
    started = performance.now();
    await plainPlugin(code).execute(INPUT, plainApi);
    coldPlain.push(performance.now() - started);
  }
  const [sandboxMs, vmMs, plainMs] = [
    median(coldSandbox.slice(5)),
    median(coldVm.slice(5)),
    median(coldPlain.slice(5)),
  ];
  record(
    'cold start (new isolate + compile + first run)',
    sandboxMs,
    vmMs,
    plainMs,
    '≤ 5× node:vm',
    sandboxMs <= 5 * vmMs,
  );
}

// Warm invocation, one host call, and each further host call.
const vmTiny = new VmBaseline(PLUGINS.tiny);
const vmOne = new VmBaseline(PLUGINS.oneCall);
const vmFurther = new VmBaseline(PLUGINS.furtherCalls);
const plainTiny = plainPlugin(PLUGINS.tiny);
const plainOne = plainPlugin(PLUGINS.oneCall);
const plainFurther = plainPlugin(PLUGINS.furtherCalls);
const WARM_RUNS = 2_000;
// 1 call against 51: fifty further calls make the per-call figure stand well above run-to-run noise.
const FURTHER_CALLS = 50;
// Interleaved, so that load from other processes falls on every variant alike.
const interleaved = await timeInterleaved(WARM_RUNS, {
  sandboxTiny: () => mustSucceed(PLUGINS.tiny),
  vmTiny: () => vmTiny.run(INPUT_JSON, vmHost),
  plainTiny: async () => plainTiny.execute(INPUT, plainApi),
  sandboxOne: () => mustSucceed(PLUGINS.oneCall),
  vmOne: () => vmOne.run(INPUT_JSON, vmHost),
  plainOne: async () => plainOne.execute(INPUT, plainApi),
  sandboxFurther: () => mustSucceed(PLUGINS.furtherCalls),
  vmFurther: () => vmFurther.run(INPUT_JSON, vmHost),
  plainFurther: async () => plainFurther.execute(INPUT, plainApi),
});
const warm = { sandbox: interleaved.sandboxTiny, vm: interleaved.vmTiny, plain: interleaved.plainTiny };
record(
  'warm invocation (pooled isolate, fresh context)',
  warm.sandbox,
  warm.vm,
  warm.plain,
  '≤ 2× node:vm',
  warm.sandbox <= 2 * warm.vm,
);
const one = { sandbox: interleaved.sandboxOne, vm: interleaved.vmOne, plain: interleaved.plainOne };
record(
  'invocation with one host API call',
  one.sandbox,
  one.vm,
  one.plain,
  '≤ 2.5× node:vm',
  one.sandbox <= 2.5 * one.vm,
);
const further = {
  sandbox: interleaved.sandboxFurther,
  vm: interleaved.vmFurther,
  plain: interleaved.plainFurther,
};
{
  const perCall = Math.max(0, (further.sandbox - one.sandbox) / FURTHER_CALLS);
  const vmPerCall = Math.max(0, (further.vm - one.vm) / FURTHER_CALLS);
  const plainPerCall = Math.max(0, (further.plain - one.plain) / FURTHER_CALLS);
  rows.push({
    name: 'each further host call',
    sandboxMs: perCall,
    vmMs: vmPerCall,
    plainMs: plainPerCall,
    target: '≤ 0.2× a node:vm warm run',
    ratioToVm: perCall / warm.vm,
    pass: perCall <= 0.2 * warm.vm,
  });
}

// 1,000 patient records from a host call into the plugin and back out as its result.
{
  const vmRecords = new VmBaseline(PLUGINS.records);
  const plainRecords = plainPlugin(PLUGINS.records);
  const sandboxMs = median(await timeEach(200, () => mustSucceed(PLUGINS.records), 20));
  const vmMs = median(await timeEach(200, () => vmRecords.run(INPUT_JSON, vmHost, true), 20));
  const plainMs = median(
    await timeEach(
      200,
      async () => JSON.parse(JSON.stringify(await plainRecords.execute(INPUT, plainApiJson))),
      20,
    ),
  );
  record(
    '1,000 records across the bridge and back',
    sandboxMs,
    vmMs,
    plainMs,
    '≤ 15× node:vm (JSON both ways)',
    sandboxMs <= 15 * vmMs,
  );
}

// Control return after a 50 ms timeout, and the next invocation succeeds.
{
  const TIMEOUT_MS = 50;
  const overshoot: Record<string, number> = {};
  let isNextOk = true;
  let isTyped = true;
  for (const [name, code] of [
    ['sync spin', PLUGINS.syncSpin],
    ['microtask loop', PLUGINS.microtaskLoop],
    ['spin after awaited host call', PLUGINS.spinAfterAwait],
    ['emit flood past the event cap', PLUGINS.emitFlood],
    ['log flood past the log cap', PLUGINS.logFlood],
  ] as const) {
    const late: number[] = [];
    for (let index = 0; index < 20; index++) {
      const started = performance.now();
      const result = await run(code, 't-timeout', { timeoutMs: TIMEOUT_MS });
      late.push(performance.now() - started - TIMEOUT_MS);
      if (result.ok || result.error.code !== 'TimeoutExceeded') isTyped = false;
      const next = await run(PLUGINS.tiny, 't-timeout');
      if (!next.ok) isNextOk = false;
    }
    overshoot[name] = percentile(late, 95);
  }
  const worst = Math.max(...Object.values(overshoot));
  extra.timeoutOvershootP95Ms = overshoot;
  rows.push({
    name: `control return after a ${TIMEOUT_MS} ms timeout (p95 past deadline, worst case)`,
    sandboxMs: worst,
    vmMs: Number.NaN,
    plainMs: Number.NaN,
    target: '≤ 100 ms past deadline, typed error, next run ok',
    ratioToVm: Number.NaN,
    pass: worst <= 100 && isNextOk && isTyped,
  });
}

// Resident memory over 1,000 sequential invocations.
{
  for (let index = 0; index < 200; index++) await mustSucceed(PLUGINS.oneCall);
  gc();
  const before = process.memoryUsage().rss;
  for (let index = 0; index < 1_000; index++) await mustSucceed(PLUGINS.oneCall);
  gc();
  const after = process.memoryUsage().rss;
  const growth = (after - before) / before;
  extra.rss = { beforeBytes: before, afterBytes: after };
  rows.push({
    name: 'RSS growth over 1,000 sequential invocations (%)',
    sandboxMs: growth * 100,
    vmMs: Number.NaN,
    plainMs: Number.NaN,
    target: '≤ 20 %',
    ratioToVm: Number.NaN,
    pass: growth <= 0.2,
  });
}

// Throughput: two tenants running concurrently on this machine's cores, against node:vm.
{
  const RUNS_PER_TENANT = 1_500;
  const vmWork = new VmBaseline(PLUGINS.work);
  const plainWork = plainPlugin(PLUGINS.work);
  const loop = async (sample: Sample) => {
    for (let index = 0; index < RUNS_PER_TENANT; index++) await sample();
  };
  await Promise.all([
    loop(() => mustSucceed(PLUGINS.work, 't-a')),
    loop(() => mustSucceed(PLUGINS.work, 't-b')),
  ]);
  let started = performance.now();
  await Promise.all([
    loop(() => mustSucceed(PLUGINS.work, 't-a')),
    loop(() => mustSucceed(PLUGINS.work, 't-b')),
  ]);
  const sandboxPerSecond = (2 * RUNS_PER_TENANT) / ((performance.now() - started) / 1000);
  started = performance.now();
  await Promise.all([loop(() => vmWork.run(INPUT_JSON, vmHost)), loop(() => vmWork.run(INPUT_JSON, vmHost))]);
  const vmPerSecond = (2 * RUNS_PER_TENANT) / ((performance.now() - started) / 1000);
  started = performance.now();
  await Promise.all([
    loop(async () => plainWork.execute(INPUT, plainApi)),
    loop(async () => plainWork.execute(INPUT, plainApi)),
  ]);
  const plainPerSecond = (2 * RUNS_PER_TENANT) / ((performance.now() - started) / 1000);
  extra.throughputPerSecond = { sandbox: sandboxPerSecond, vm: vmPerSecond, plain: plainPerSecond };
  rows.push({
    name: 'throughput, two tenants concurrently (runs/s)',
    sandboxMs: sandboxPerSecond,
    vmMs: vmPerSecond,
    plainMs: plainPerSecond,
    target: '≥ 0.75× node:vm',
    ratioToVm: sandboxPerSecond / vmPerSecond,
    pass: sandboxPerSecond >= 0.75 * vmPerSecond,
  });
}

// Four concurrent invocations for one tenant, a thousand times: the process must not abort.
{
  let failures = 0;
  for (let round = 0; round < 1_000; round++) {
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => run(round % 2 === 0 ? PLUGINS.oneCall : PLUGINS.tiny, 't-concurrent')),
    );
    failures += results.filter((result) => !result.ok).length;
  }
  rows.push({
    name: '4 concurrent invocations × 1,000, one tenant (failed runs)',
    sandboxMs: failures,
    vmMs: Number.NaN,
    plainMs: Number.NaN,
    target: 'no crash, no failed run',
    ratioToVm: Number.NaN,
    pass: failures === 0,
  });
}

await sandbox.dispose();

const format = (value: number) =>
  Number.isNaN(value) ? '—' : value >= 100 ? value.toFixed(0) : value.toFixed(3);
const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
// Other processes on the machine skew every figure, the timeout row most; the load says how much.
const load = loadavg().map((value) => value.toFixed(2));
console.log(
  `\nsandbox benchmark: Node ${process.version}, ${cpus().length} cores, ${seconds} s, load ${load.join(' ')}\n`,
);
console.log(
  ['measure', 'sandbox', 'node:vm', 'plain', '×node:vm', '×plain', 'target', 'result']
    .map((cell, index) => (index === 0 ? cell.padEnd(64) : cell.padStart(10)))
    .join(''),
);
for (const row of rows) {
  const isRate = row.name.startsWith('throughput');
  const ratioToPlain = isRate ? row.sandboxMs / row.plainMs : row.sandboxMs / row.plainMs;
  console.log(
    [
      row.name.padEnd(64),
      format(row.sandboxMs).padStart(10),
      format(row.vmMs).padStart(10),
      format(row.plainMs).padStart(10),
      format(row.ratioToVm).padStart(10),
      format(ratioToPlain).padStart(10),
      `  ${row.target}`,
      row.pass ? '  PASS' : '  FAIL',
    ].join(''),
  );
}
console.log('\nfigures are medians in ms unless the row says otherwise; timeout overshoot p95 per case:');
console.log(extra.timeoutOvershootP95Ms);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/sandbox.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, loadAverage: loadavg(), measuredAt: new Date().toISOString(), rows, extra }, null, 2)}\n`,
);
if (rows.some((row) => !row.pass)) process.exitCode = 1;
