import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureCli } from '../../../support/cli-run.ts';

const SUPPORT = new URL('../../../support/sandbox/', import.meta.url).pathname;
const FIXTURES = join(SUPPORT, 'fixtures.json');
const REMINDER = join(SUPPORT, 'plugins', 'reminder.js');

const cli = (...argv: string[]) => captureCli(argv);

function pluginFile(source: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'gradiant-cli-'));
  const file = join(directory, 'plugin.js');
  writeFileSync(file, source);
  return file;
}

const RESCHEDULE = JSON.stringify({
  patientId: 'p-a1',
  appointmentId: 'a-a1',
  newTime: '2026-02-01T08:00:00Z',
});

describe('gradiant-plugins run', () => {
  it('prints exactly one JSON object, the run result, with --json and exits 0', async () => {
    const args = [
      'run',
      REMINDER,
      '--fixtures',
      FIXTURES,
      '--tenant',
      't-clinic-a',
      '--json',
      '--input',
      RESCHEDULE,
    ];

    const { code, stdout } = await cli(...args, '--grant', 'read:patients', '--grant', 'write:appointments');

    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      value: { patientId: 'p-a1', start: '2026-02-01T08:00:00.000Z', end: '2026-02-01T08:30:00.000Z' },
      events: [{ name: 'plugin-event:reminder:sent', data: { patientId: 'p-a1' } }],
    });
  });

  it('exits 1 with the typed error when the plugin fails', async () => {
    const { code, stdout } = await cli(
      'run',
      REMINDER,
      '--fixtures',
      FIXTURES,
      '--tenant',
      't-clinic-a',
      '--input',
      RESCHEDULE,
    );

    expect(code).toBe(1);
    expect(stdout).toContain('failed: PermissionDenied');
  });

  it("resolves another tenant's ids to NotFound", async () => {
    const args = [
      'run',
      REMINDER,
      '--fixtures',
      FIXTURES,
      '--tenant',
      't-clinic-b',
      '--input',
      RESCHEDULE,
      '--json',
    ];

    const { code, stdout } = await cli(...args, '--grant', 'read:patients');

    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      error: { code: 'NotFound', message: 'patient p-a1 not found' },
    });
  });

  it('defaults to the only tenant in the fixtures, else t-local', async () => {
    const single = pluginFile(
      'export default { execute: (input, api) => api.patients.search({ name: "bea" }) };',
    );
    const fixtures = join(mkdtempSync(join(tmpdir(), 'gradiant-fixtures-')), 'one.json');
    writeFileSync(
      fixtures,
      JSON.stringify({
        tenants: { 'only-one': { patients: [{ id: 'p1', name: 'Bea', birthDate: '1990-01-01' }] } },
      }),
    );

    const onlyTenant = await cli('run', single, '--fixtures', fixtures, '--grant', 'read:patients', '--json');
    const noFixtures = await cli('run', single, '--grant', 'read:patients', '--json');

    expect(JSON.parse(onlyTenant.stdout)).toMatchObject({ ok: true, value: [{ id: 'p1' }] });
    expect(JSON.parse(noFixtures.stdout)).toMatchObject({ ok: true, value: [] });
  });

  it('schedules, cancels and reschedules against the fixture data', async () => {
    const file = pluginFile(`export default {
      async execute(input, api) {
        const created = await api.appointments.schedule({ patientId: 'p-a2', start: '2026-04-01T09:00:00Z', end: '2026-04-01T10:00:00Z' });
        const moved = await api.appointments.reschedule(created.id, '2026-04-02T15:00:00Z');
        const cancelled = await api.appointments.cancel('a-a1', 'patient asked');
        return { created: created.status, moved: [moved.start, moved.end], cancelled: cancelled.status };
      },
    };`);

    const { code, stdout } = await cli(
      'run',
      file,
      '--fixtures',
      FIXTURES,
      '--tenant',
      't-clinic-a',
      '--grant',
      'write:appointments',
      '--json',
    );

    expect(code).toBe(0);
    expect(JSON.parse(stdout).value).toEqual({
      created: 'booked',
      moved: ['2026-04-02T15:00:00.000Z', '2026-04-02T16:00:00.000Z'],
      cancelled: 'cancelled',
    });
  });

  it('reads the input from --input-file and applies --timeout-ms', async () => {
    const file = pluginFile(
      'export default { execute(input) { if (input.spin) for (;;) {} return input; } };',
    );
    const inputFile = join(mkdtempSync(join(tmpdir(), 'gradiant-input-')), 'input.json');
    writeFileSync(inputFile, '{"spin": true}');

    const { code, stdout } = await cli(
      'run',
      file,
      '--input-file',
      inputFile,
      '--timeout-ms',
      '100',
      '--json',
    );

    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'TimeoutExceeded' } });
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['an unknown flag', ['run', REMINDER, '--bogus'], /unknown option '--bogus'/i],
    ['a missing plugin file', ['run', '/nonexistent/plugin.js'], /cannot read plugin file/],
    ['bad --input JSON', ['run', REMINDER, '--input', '{nope'], /--input is not valid JSON/],
    [
      'both input flags',
      ['run', REMINDER, '--input', '1', '--input-file', FIXTURES],
      /either --input or --input-file/,
    ],
    ['an unknown permission', ['run', REMINDER, '--grant', 'root'], /unknown permission root/],
    ['a bad entry', ['run', REMINDER, '--entry', 'main'], /--entry must be execute or onEvent/],
    ['a bad number', ['run', REMINDER, '--timeout-ms', 'soon'], /--timeout-ms must be a positive integer/],
    ['no plugin file', ['run'], /missing required argument 'plugin-file'/],
    ['an unknown command', ['launch'], /unknown command 'launch'/],
  ];
  for (const [name, argv, message] of usageErrors) {
    it(`exits 2 with a message on stderr for ${name}`, async () => {
      const { code, stdout, stderr } = await cli(...argv);

      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
    });
  }
});
