import type * as esbuild from 'esbuild';

/** Builds gradiant-plugins/client into `outdir` (default dist/client); answers the problem, if any. */
export function buildClient(
  builder: typeof esbuild,
  options: { readonly root: string; readonly outdir?: string },
): Promise<string | undefined>;
