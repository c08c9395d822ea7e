import { auditVerifyCommand } from './commands/audit-verify.ts';
import { keygenCommand } from './commands/keygen.ts';
import { publishCommand } from './commands/publish.ts';
import { type CliCommand, type CommandIo, EXIT_OK, EXIT_USAGE } from './commands/publish-cli-types.ts';
import { registerKeyCommand } from './commands/register-key.ts';
import { revokeKeyCommand } from './commands/revoke-key.ts';
import { runCommand } from './commands/run.ts';
import { signCommand } from './commands/sign.ts';

/** Every command of the `gradiant-plugins` bin; a new command is one more entry here. */
export const COMMANDS: readonly CliCommand[] = [
  runCommand,
  keygenCommand,
  signCommand,
  registerKeyCommand,
  publishCommand,
  revokeKeyCommand,
  auditVerifyCommand,
];

function help(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return (
    `usage: gradiant-plugins <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n` +
    `Run "gradiant-plugins <command> --help" for a command's options.\n`
  );
}

/** The whole CLI as a function of its arguments and streams, so tests need no child process. */
export async function runCli(
  argv: readonly string[],
  io: CommandIo,
  commands: readonly CliCommand[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(help(commands));
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`error: unknown command ${name}\n${help(commands)}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: gradiant-plugins ${command.usage}\n`);
    return EXIT_OK;
  }
  return command.run(rest, io);
}
