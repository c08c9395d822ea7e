import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../../../apps/cli/main.ts', import.meta.url));
const REMINDER = fileURLToPath(new URL('../../../support/sandbox/plugins/reminder.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../support/sandbox/fixtures.json', import.meta.url));
const THROWS = fileURLToPath(new URL('../../../support/sandbox/plugins/throws.js', import.meta.url));

/** The real entry point under this Node 24, with no Node flags: the worker it forks gets them. */
function gradiantPlugins(...argv: string[]) {
  return spawnSync(process.execPath, [MAIN, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe('gradiant-plugins entry point', () => {
  it('runs a plugin in a child process and exits 0 with one JSON object', () => {
    const input = JSON.stringify({
      patientId: 'p-a1',
      appointmentId: 'a-a1',
      newTime: '2026-02-01T08:00:00Z',
    });

    const grants = ['--grant', 'read:patients', '--grant', 'write:appointments'];

    const child = gradiantPlugins(
      'run',
      REMINDER,
      '--fixtures',
      FIXTURES,
      '--tenant',
      't-clinic-a',
      '--input',
      input,
      '--json',
      ...grants,
    );

    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ ok: true, value: { patientId: 'p-a1' } });
  });

  it('exits 1 when the plugin throws, with a human summary', () => {
    const child = gradiantPlugins('run', THROWS);

    expect(child.status).toBe(1);
    expect(child.stdout).toContain('failed: PluginError: Error: plugin gave up');
  });

  it('exits 2 for bad usage with the message on stderr', () => {
    const child = gradiantPlugins('run', THROWS, '--bogus');

    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/unknown option '--bogus'/i);
  });
});
