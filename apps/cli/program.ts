import { Command, CommanderError } from 'commander';
import {
  type CommandIo,
  type CommandSpec,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
} from './commands/publish-cli-types.ts';

export const PROGRAM_NAME = 'gradiant-plugins';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the operation failed (a plugin run failed, a check found problems, the server refused)
  2  usage error (unknown command or option, missing argument, bad value, no token, Node.js older than 24)
  3  the platform could not be reached (DNS, connection refused, TLS, timeout)

Platform commands: endpoint from --endpoint, else GRADIANT_ENDPOINT, else the profile's;
token from GRADIANT_TOKEN, else the profile's token source (see login).
`;

/** The command `spec` names, creating the group command of `audit verify` once. */
function commandFor(program: Command, spec: CommandSpec): Command {
  const [group, sub] = spec.name.split(' ');
  if (sub === undefined) return program.command(spec.name);
  const parent =
    program.commands.find((command) => command.name() === group) ??
    program.command(group as string).description(`${group} commands`);
  return parent.command(sub);
}

/**
 * Parses `argv` with commander and runs the one command it names. Commander's own exits
 * (help, bad usage) are turned into return values through `exitOverride`, and everything it
 * prints goes to `io`, so the whole CLI is a function tests can call.
 */
export async function runProgram(
  argv: readonly string[],
  io: CommandIo,
  commands: readonly CommandSpec[],
): Promise<number> {
  const program = new Command(PROGRAM_NAME)
    .description('Build, check, run and publish Gradiant plugins.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);
  let exitCode = EXIT_OK;
  for (const spec of commands) {
    const command = commandFor(program, spec).description(spec.summary);
    spec.configure(command);
    command.action(async (...params: unknown[]) => {
      const self = params.at(-1) as Command;
      try {
        exitCode = await spec.action({ args: self.processedArgs, options: self.opts() }, io);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr(`error: ${error.message}\nusage: ${PROGRAM_NAME} ${spec.name} ${self.usage()}\n`);
        exitCode = EXIT_USAGE;
      }
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
    return error.exitCode === EXIT_OK ? EXIT_OK : EXIT_USAGE;
  }
  return exitCode;
}
