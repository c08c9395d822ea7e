import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const ENVIRONMENT_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Where a profile's token comes from. Never the token itself: the config file outlives any token
 * and is the first thing a backup or a dotfiles repository copies.
 */
export const TokenSourceConfigSchema = z.union([
  z.object({ env: z.string().regex(ENVIRONMENT_VARIABLE_NAME, 'an environment variable name') }).strict(),
  z.object({ command: z.string().min(1) }).strict(),
]);
export type TokenSourceConfig = z.infer<typeof TokenSourceConfigSchema>;

export const ProfileSchema = z
  .object({ endpoint: z.url({ protocol: /^https?$/ }), token: TokenSourceConfigSchema })
  .strict();
export type Profile = z.infer<typeof ProfileSchema>;

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const CliConfigSchema = z
  .object({ profiles: z.record(z.string().regex(PROFILE_NAME), ProfileSchema) })
  .strict();
export type CliConfig = z.infer<typeof CliConfigSchema>;

export const DEFAULT_PROFILE = 'default';

/** `$XDG_CONFIG_HOME/gradiant-plugins/config.json`, else `~/.config/gradiant-plugins/config.json`. */
export function configPathOf(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : undefined);
  if (!base) throw new Error('neither XDG_CONFIG_HOME nor HOME is set, so there is no config folder');
  return join(base, 'gradiant-plugins', 'config.json');
}

/** The saved profiles; none when the file does not exist yet, an error naming the file when it is bad. */
export function readCliConfig(path: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw error;
  }
  // A token command is run through the shell: a file others can write is a way to run their code as you.
  if (process.platform !== 'win32' && (statSync(path).mode & 0o022) !== 0)
    throw new Error(`${path} is writable by others; make it yours alone (chmod 600) before it is used`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
  const parsed = CliConfigSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`${path} is not a valid config file (${where})`);
  }
  return parsed.data;
}

/**
 * Writes the config owner-only (0600, its folder 0700) through a temporary file and a rename, so
 * a crash never leaves half a file and the bits are set before any content is visible.
 */
export function writeCliConfig(path: string, config: CliConfig): void {
  const folder = join(path, '..');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(CliConfigSchema.parse(config), null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
