import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Beside this module in the repo; copied beside the bundled CLI in the package. */
function templateDirectory(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? './template/' : './init-template/', here));
}

/** `gitignore.tmpl` becomes `.gitignore` (npm leaves `.gitignore` files out of a package). */
function targetNameOf(templateName: string): string {
  const name = templateName.replace(/\.tmpl$/, '');
  return name === 'gitignore' ? '.gitignore' : name;
}

function templateFiles(directory: string, prefix = ''): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? templateFiles(path, join(prefix, entry)) : [join(prefix, entry)];
  });
}

export interface ScaffoldOptions {
  readonly id: string;
  readonly target: string;
  /** The `gradiant-plugins` devDependency: a `file:` path to this package until it is on a registry. */
  readonly packageSpec: string;
}

/** Writes the plugin project; the caller has checked that `target` is absent or empty. */
export function scaffoldPlugin(options: ScaffoldOptions): string[] {
  const source = templateDirectory();
  const written: string[] = [];
  for (const file of templateFiles(source).sort()) {
    const text = readFileSync(join(source, file), 'utf8')
      .replaceAll('{{id}}', options.id)
      .replaceAll('{{packageSpec}}', options.packageSpec);
    const target = join(options.target, dirname(file), targetNameOf(file.split('/').at(-1) as string));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    written.push(relative(options.target, target));
  }
  return written;
}

export function isAbsentOrEmpty(directory: string): boolean {
  return !existsSync(directory) || (statSync(directory).isDirectory() && readdirSync(directory).length === 0);
}
