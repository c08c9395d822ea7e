import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../../apps/cli/cli.ts';
import { captureCli } from '../../../support/cli-run.ts';

const NAMES = COMMANDS.map((command) => command.name);

describe('gradiant-plugins help and exit codes', () => {
  it('lists every command with its summary and the exit codes', async () => {
    const { code, stdout } = await captureCli(['--help']);

    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toContain(command.name.split(' ')[0]);
    expect(stdout).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 .*\n {2}2 {2}usage error/);
  });

  for (const name of NAMES) {
    it(`gives help for ${name}, every option described, and takes --json`, async () => {
      const viaFlag = await captureCli([...name.split(' '), '--help']);
      const [group, sub] = name.split(' ');
      const viaHelp = await captureCli(sub === undefined ? ['help', name] : [group as string, 'help', sub]);

      expect(viaFlag.code).toBe(0);
      expect(viaHelp).toEqual(viaFlag);
      expect(viaFlag.stdout).toContain('--json');
      const options = viaFlag.stdout.slice(viaFlag.stdout.indexOf('Options:')).split('\n').slice(1);
      for (const line of options.filter((text) => /^ {2}-/.test(text))) {
        expect(line, line).toMatch(/^ {2}\S.*\s{2,}\S/);
      }
    });
  }

  it('exits 2 with the help on stderr when no command is given', async () => {
    const { code, stdout, stderr } = await captureCli([]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: gradiant-plugins');
  });

  it('exits 2 for an unknown subcommand of audit', async () => {
    const { code, stderr } = await captureCli(['audit', 'list']);

    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'list'/);
  });
});
