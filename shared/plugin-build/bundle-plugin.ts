import { build, type Message } from 'esbuild';

export interface BundleOptions {
  readonly entry: string;
  readonly workingDirectory: string;
  readonly isMinified: boolean;
}

export type BundleResult =
  | { readonly ok: true; readonly code: string; readonly metafile: import('esbuild').Metafile }
  | { readonly ok: false; readonly errors: readonly string[] };

function describe(message: Message): string {
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: `
    : '';
  return `${where}${message.text}`;
}

/**
 * One ES module with every import bundled in, as the platform's loader wants it: platform
 * `neutral`, so a Node built-in (`node:fs`) is an error here rather than a refused upload later.
 */
export async function bundlePlugin(options: BundleOptions): Promise<BundleResult> {
  try {
    const result = await build({
      absWorkingDir: options.workingDirectory,
      entryPoints: [options.entry],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2023',
      mainFields: ['module', 'main'],
      conditions: ['import', 'default'],
      minify: options.isMinified,
      legalComments: 'none',
      outfile: 'bundle.js',
      logLevel: 'silent',
    });
    const [output] = result.outputFiles;
    if (!output) return { ok: false, errors: ['esbuild wrote no output'] };
    return { ok: true, code: output.text, metafile: result.metafile };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return { ok: false, errors: errors.map(describe) };
  }
}
