import { relative, resolve } from 'node:path';
import { NewPluginIdSchema } from '../../../shared/domain/identifiers.ts';
import { isAbsentOrEmpty, scaffoldPlugin } from '../init/scaffold.ts';
import { packageInfo } from '../package-info.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from './publish-cli-types.ts';

/** Scaffolds a plugin project in `./<name>`: manifest, typed source, sandbox test, fixtures, scripts. */
export const initCommand = defineCommand({
  name: 'init',
  summary: 'scaffold a plugin project in ./<name> (manifest, typed source, sandbox test, fixtures)',
  configure: (command) =>
    command
      .argument('<name>', 'the plugin id and folder name (lower-case letters, digits, dashes)')
      .option('--json', 'print the files written as JSON'),
  async action({ args, options }, io) {
    const id = NewPluginIdSchema.safeParse(args[0]);
    if (!id.success) {
      throw new UsageError(
        `${String(args[0])} is not a plugin id: ${id.error.issues[0]?.message ?? 'invalid'} (lower-case letters, digits and dashes, 2 to 64)`,
      );
    }
    const target = resolve(io.cwd ?? process.cwd(), id.data);
    if (!isAbsentOrEmpty(target)) {
      io.stderr(`error: ${target} exists and is not empty; choose another name or empty it\n`);
      return EXIT_FAILED;
    }
    const packageSpec = `file:${relative(target, packageInfo().directory) || '.'}`;
    const files = scaffoldPlugin({ id: id.data, target, packageSpec });
    if (options.json === true) io.stdout(`${JSON.stringify({ ok: true, directory: target, files })}\n`);
    else {
      io.stdout(
        `created ${id.data}/ with ${files.join(', ')}\n` + `next: cd ${id.data} && npm install && npm test\n`,
      );
    }
    return EXIT_OK;
  },
});
