import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anInstallation } from '../../../../support/installation-factory.ts';
import { searchHit, searchResults, updateAvailable } from '../../../../support/marketplace-view-factory.ts';
import { ENDPOINT, platformCli } from '../../../../support/platform-cli.ts';
import { json, problem, type SentRequest } from '../../../../support/scripted-fetch.ts';

const route = (request: SentRequest | undefined) =>
  request ? `${request.method} ${request.url.pathname}${request.url.search}` : undefined;
const usage = { wallMs: 12, cpuMs: 4, peakHeapBytes: 1000, dataCalls: 2, networkCalls: 0, storageBytes: 0 };
const figures = {
  invocations: 2,
  failures: 1,
  limitBreaches: 0,
  wallMs: 24,
  cpuMs: 8,
  peakHeapBytes: 1000,
  dataCalls: 4,
  networkCalls: 0,
};
const usageReport = {
  pluginId: 'p1',
  invocations: 2,
  failures: 1,
  totals: usage,
  byVersion: { '1.0.0': { invocations: 2, failures: 1 } },
  interval: 'hour',
  from: '2026-12-02T10:00:00.000Z',
  to: '2026-12-02T12:00:00.000Z',
  series: [
    { start: '2026-12-02T10:00:00.000Z', ...figures },
    { start: '2026-12-02T11:00:00.000Z', ...figures, invocations: 0, failures: 0 },
  ],
  seriesTotals: figures,
};

describe('the platform commands', () => {
  it('install takes a release from the marketplace into the tenant and prints one JSON object with --json', async () => {
    const installed = anInstallation({ source: 'marketplace', version: '2.0.0' });
    const cli = platformCli([json(201, installed), json(201, installed)]);

    const human = await cli.run(['install', 'p1', '--version', '2.0.0']);
    const machine = await cli.run(['install', 'p1', '--version', '2.0.0', '--json']);

    expect(route(cli.sent[0])).toBe('POST /v1/marketplace/plugins/p1/versions/2.0.0/install');
    expect(human.stdout).toBe('p1 2.0.0: installed in tenant t-acme\n');
    expect(JSON.parse(machine.stdout)).toEqual(installed);
  });

  it('install names the endpoint and the code of a refusal, and exits 1', async () => {
    const cli = platformCli([
      problem(409, { code: 'ALREADY_INSTALLED', detail: 'The plugin is installed already.' }),
    ]);

    const refused = await cli.run(['install', 'p1', '--version', '1.0.0']);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error: 409 ALREADY_INSTALLED from ${ENDPOINT}: The plugin is installed already.\n`,
    );
  });

  it('enable sends only the --grant permissions, and no body without them', async () => {
    const granted = anInstallation({
      state: 'enabled',
      grants: { permissions: ['read:patients'], approvedBy: 'u', approvedAt: new Date().toISOString() },
    });
    const cli = platformCli([json(200, granted), json(200, granted)]);

    const some = await cli.run(['enable', 'p1', '--grant', 'read:patients']);
    await cli.run(['enable', 'p1']);

    expect(cli.sent.map((request) => request.body)).toEqual([{ grants: ['read:patients'] }, undefined]);
    expect(some.stdout).toBe('p1 1.0.0: enabled in tenant t-acme (grants: read:patients)\n');
  });

  it('invoke sends the input and exits 1 when the plugin run failed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradiant-input-'));
    writeFileSync(join(folder, 'input.json'), '{"patientId":"p-1"}');
    const cli = platformCli([
      json(200, { ok: true, value: { sent: 1 }, usage, logs: [], events: [] }),
      json(200, {
        ok: false,
        error: { code: 'TimeoutExceeded', message: 'took too long' },
        usage,
        logs: [],
        events: [],
      }),
    ]);

    const ok = await cli.run(['invoke', 'p1', '--input', '{"patientId":"p-1"}']);
    const failed = await cli.run(['invoke', 'p1', '--input-file', join(folder, 'input.json'), '--json']);

    expect([ok.code, failed.code]).toEqual([0, 1]);
    expect(cli.sent.map((request) => request.body)).toEqual([
      { input: { patientId: 'p-1' } },
      { input: { patientId: 'p-1' } },
    ]);
    expect(ok.stdout).toContain('ok: {"sent":1}');
    expect(JSON.parse(failed.stdout).error.code).toBe('TimeoutExceeded');
  });

  it('search sends query, tags and sort, and prints a table or the results', async () => {
    const cli = platformCli([searchResults([searchHit('appointment-reminder')], 'c2'), searchResults([])]);

    const table = await cli.run([
      'search',
      'remind',
      '--tag',
      'scheduling',
      '--tag',
      'sms',
      '--sort',
      'downloads',
    ]);
    const machine = await cli.run(['search', '--json']);

    expect(cli.sent[0]?.url.searchParams.get('query')).toBe('remind');
    expect(cli.sent[0]?.url.searchParams.get('tags')).toBe('scheduling,sms');
    expect(cli.sent[0]?.url.searchParams.get('sort')).toBe('downloads');
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+LATEST\s+DOWNLOADS\s+RATING\s+VERIFIED\s+NAME$/);
    expect(table.stdout).toMatch(/appointment-reminder\s+1\.0\.0\s+3\s+4\.0 \(1\)\s+yes/);
    expect(table.stdout).toContain('1 of 3 (next: --cursor c2)');
    expect(Object.keys(JSON.parse(machine.stdout))).toEqual(['items', 'total', 'facets']);
  });

  it('usage sends the window and prints the non-empty buckets', async () => {
    const cli = platformCli([json(200, usageReport)]);

    const report = await cli.run(['usage', 'p1', '--interval', 'hour', '--from', '2026-12-02T10:00:00Z']);

    expect(route(cli.sent[0])).toBe('GET /v1/plugins/p1/usage?from=2026-12-02T10%3A00%3A00Z&interval=hour');
    expect(report.stdout).toContain('p1: 2 runs, 1 failed since install');
    expect(report.stdout).toMatch(/2026-12-02T10:00:00.000Z\s+2\s+1\s+0\s+24\s+8\s+4\s+0/);
    expect(report.stdout).not.toContain('2026-12-02T11:00:00.000Z');
  });

  it('update moves to the newest release checkUpdates offers, or says it is up to date', async () => {
    const cli = platformCli([
      json(200, { items: [updateAvailable('p1')] }),
      json(200, anInstallation({ version: '1.1.0' })),
      json(200, { items: [] }),
      json(200, anInstallation()),
    ]);

    const updated = await cli.run(['update', 'p1']);
    const current = await cli.run(['update', 'p1', '--json']);

    expect(cli.sent.map(route)).toEqual([
      'GET /v1/plugins/updates',
      'POST /v1/plugins/p1/update',
      'GET /v1/plugins/updates',
      'GET /v1/plugins/p1',
    ]);
    expect(cli.sent[1]?.body).toEqual({ version: '1.1.0' });
    expect(cli.sent[1]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(updated.stdout).toBe('p1 1.1.0: installed in tenant t-acme\n');
    expect(JSON.parse(current.stdout)).toMatchObject({ pluginId: 'p1', upToDate: true });
  });

  it('disable and uninstall print what they did', async () => {
    const cli = platformCli([
      json(200, anInstallation({ state: 'disabled' })),
      new Response(null, { status: 204 }),
    ]);

    const disabled = await cli.run(['disable', 'p1']);
    const removed = await cli.run(['uninstall', 'p1', '--json']);

    expect(cli.sent.map(route)).toEqual(['POST /v1/plugins/p1/disable', 'DELETE /v1/plugins/p1']);
    expect(disabled.stdout).toBe('p1 1.0.0: disabled in tenant t-acme\n');
    expect(JSON.parse(removed.stdout)).toEqual({ pluginId: 'p1', uninstalled: true });
  });

  it.each([
    [['install']],
    [['install', 'Not An Id!']],
    [['enable', 'p1', '--grant', 'read:everything']],
    [['invoke', 'p1', '--input', '{not json']],
    [['invoke', 'p1', '--input', '1', '--input-file', 'x.json']],
    [['search', '--sort', 'popularity']],
    [['search', '--limit', '0']],
    [['usage', 'p1', '--interval', 'week']],
    [['usage', 'p1', '--from', 'yesterday']],
    [['disable', 'p1', '--nope']],
  ])('exits 2 before any request for %j', async (argv) => {
    const cli = platformCli([]);

    const run = await cli.run(argv);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error/);
    expect(cli.sent).toEqual([]);
  });
});
