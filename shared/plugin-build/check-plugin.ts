import type { z } from 'zod';
import { MAX_ARTIFACT_BYTES } from '../domain/artifact-limits.ts';
import { SbomSchema } from '../domain/dependency-scan.ts';
import { type PluginManifest, PluginManifestSchema } from '../domain/manifest.ts';
import { preparePlugin } from '../sandbox/prepared-plugin.ts';

/** One thing wrong, named by where it is: `manifest.metadata.permissions[1]`, `bundle`, `sbom.components[0].version`. */
export interface Problem {
  readonly field: string;
  readonly message: string;
}

export function fieldOf(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (field, key) => (typeof key === 'number' ? `${field}[${key}]` : `${field}.${String(key)}`),
    root,
  );
}

function problemsOf(root: string, error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ field: fieldOf(root, issue.path), message: issue.message }));
}

export type ManifestCheck =
  | { readonly ok: true; readonly manifest: PluginManifest }
  | { readonly ok: false; readonly problems: Problem[] };

/** The platform's own manifest schema, every issue at once. */
export function checkManifest(raw: unknown): ManifestCheck {
  const parsed = PluginManifestSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, manifest: parsed.data }
    : { ok: false, problems: problemsOf('manifest', parsed.error) };
}

/** What the platform checks of an artifact: its size, and the sandbox's loader (module shape, syntax). */
export function checkBundle(code: string): Problem[] {
  const problems: Problem[] = [];
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > MAX_ARTIFACT_BYTES) {
    problems.push({
      field: 'bundle',
      message: `is ${bytes} bytes, over the platform's limit of ${MAX_ARTIFACT_BYTES} bytes`,
    });
  }
  const prepared = preparePlugin(code);
  if (!prepared.ok)
    problems.push({ field: 'bundle', message: `is not a plugin module: ${prepared.message}` });
  return problems;
}

export function checkSbom(raw: unknown): Problem[] {
  const parsed = SbomSchema.safeParse(raw);
  return parsed.success ? [] : problemsOf('sbom', parsed.error);
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}\n`).join('');
}
