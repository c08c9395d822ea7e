import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../../../apps/cli/commands/run.ts';
import { DEMO_PLUGINS } from '../../../../../apps/local-platform/demo/demo-plugins.ts';

/** The demo catalogue ships real plugins: each runs in the sandbox with the permissions it requests. */
describe('demo plugins', () => {
  const directory = mkdtempSync(join(tmpdir(), 'demo-plugins-'));
  const fixtures = join(directory, 'fixtures.json');
  writeFileSync(
    fixtures,
    JSON.stringify({
      tenants: {
        't-demo': {
          patients: [
            { id: 'p-001', name: 'Testy McTestface (synthetic)', birthDate: '1970-01-01', gender: 'other' },
          ],
        },
      },
    }),
  );
  const inputs: Record<string, unknown> = {
    'patient-counter': {},
    'appointment-reminder': { patientId: 'p-001', start: '2030-01-01T09:00:00Z' },
    'no-show-tracker': {},
  };

  for (const plugin of DEMO_PLUGINS) {
    it(`runs ${plugin.id} successfully in the sandbox`, async () => {
      const file = join(directory, `${plugin.id}.js`);
      writeFileSync(file, plugin.code);
      const out: string[] = [];
      const err: string[] = [];
      const grants = plugin.metadata.permissions.flatMap((permission) => ['--grant', permission]);

      const code = await runCommand.run(
        [file, '--json', '--fixtures', fixtures, '--input', JSON.stringify(inputs[plugin.id]), ...grants],
        {
          stdout: (text) => out.push(text),
          stderr: (text) => err.push(text),
          env: {},
          fetch,
        },
      );

      expect(err.join(''), out.join('')).toBe('');
      expect(code, out.join('')).toBe(0);
      expect(JSON.parse(out.join('')).ok).toBe(true);
    });
  }
});
