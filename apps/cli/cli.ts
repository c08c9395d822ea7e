import { auditVerifyCommand } from './commands/audit-verify.ts';
import { buildCommand } from './commands/build.ts';
import { disableCommand } from './commands/disable.ts';
import { enableCommand } from './commands/enable.ts';
import { initCommand } from './commands/init.ts';
import { installCommand } from './commands/install.ts';
import { invokeCommand } from './commands/invoke.ts';
import { keygenCommand } from './commands/keygen.ts';
import { loginCommand } from './commands/login.ts';
import { publishCommand } from './commands/publish.ts';
import type { CommandIo, CommandSpec } from './commands/publish-cli-types.ts';
import { registerKeyCommand } from './commands/register-key.ts';
import { revokeKeyCommand } from './commands/revoke-key.ts';
import { runCommand } from './commands/run.ts';
import { searchCommand } from './commands/search.ts';
import { signCommand } from './commands/sign.ts';
import { uninstallCommand } from './commands/uninstall.ts';
import { updateCommand } from './commands/update.ts';
import { usageCommand } from './commands/usage.ts';
import { validateCommand } from './commands/validate.ts';
import { runProgram } from './program.ts';

/** Every command of the `gradiant-plugins` bin; a new command is one more entry here. */
export const COMMANDS: readonly CommandSpec[] = [
  initCommand,
  buildCommand,
  validateCommand,
  runCommand,
  keygenCommand,
  signCommand,
  registerKeyCommand,
  publishCommand,
  revokeKeyCommand,
  loginCommand,
  searchCommand,
  installCommand,
  enableCommand,
  disableCommand,
  invokeCommand,
  usageCommand,
  updateCommand,
  uninstallCommand,
  auditVerifyCommand,
];

/** The whole CLI as a function of its arguments and streams, so tests need no child process. */
export function runCli(
  argv: readonly string[],
  io: CommandIo,
  commands: readonly CommandSpec[] = COMMANDS,
): Promise<number> {
  return runProgram(argv, io, commands);
}
