import { runProgram } from '../program.ts';
import type { CliCommand, CommandIo, CommandSpec } from './publish-cli-types.ts';

/** A command that can also run on its own (tests call `command.run(argv, io)`). */
export function defineCommand(spec: CommandSpec): CliCommand {
  const command: CliCommand = {
    ...spec,
    run: (argv: readonly string[], io: CommandIo) =>
      runProgram([...spec.name.split(' '), ...argv], io, [command]),
  };
  return command;
}
