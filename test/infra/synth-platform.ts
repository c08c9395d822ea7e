import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addCompliancePacks } from '../../infra/compliance-packs.ts';
import { createPlatform, type PlatformOptions, type PlatformStacks } from '../../infra/platform.ts';
import { readPlatformSettings } from '../../infra/settings.ts';
import { FUNCTION_NAMES, type HttpFunctionName } from '../../shared/http/route-record.ts';

export const FIXTURE_HANDLER = fileURLToPath(new URL('./fixtures/execution-handler.ts', import.meta.url));

/** The fixture handler for every HTTP function, so a new function cannot be left out of a synth. */
export const FIXTURE_ENTRIES = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [name, FIXTURE_HANDLER]),
) as Record<HttpFunctionName, string>;

/** The context `cdk synth` runs with, so tests build what deploys (feature flags included). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export interface ValidationReport {
  pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string }[] }[];
}

export interface SynthesizedPlatform {
  readonly app: App;
  readonly stacks: PlatformStacks;
  readonly outdir: string;
  readonly synthError: unknown;
  readonly report: ValidationReport | undefined;
  template(stack: Stack): Template;
}

/**
 * Builds and synthesizes the whole platform once into a temporary cloud assembly, bundling for
 * real with the local esbuild. Templates are read back from the assembly: `Template.fromStack`
 * would synthesize (and run the validation plugins) all over again.
 */
export function synthPlatform(
  options: {
    context?: Record<string, unknown>;
    platform?: PlatformOptions;
    compliancePacks?: boolean;
    /** CDK's built-in template schema check; costs seconds, so only the full-platform test keeps it. */
    cloudFormationValidation?: boolean;
  } = {},
): SynthesizedPlatform {
  const outdir = mkdtempSync(join(tmpdir(), 'gradiant-infra-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), ...options.context },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? true,
  });
  if (options.compliancePacks) addCompliancePacks(app);
  // A test that gives fixture handlers for the API gets them for the audit functions too.
  const platformOptions: PlatformOptions | undefined = options.platform?.entries
    ? {
        auditEntries: { stream: FIXTURE_HANDLER, digest: FIXTURE_HANDLER, webhooks: FIXTURE_HANDLER },
        advisoryRefreshEntry: FIXTURE_HANDLER,
        ...options.platform,
      }
    : options.platform;
  const stacks = createPlatform(app, readPlatformSettings(app), platformOptions);

  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  const reportPath = join(outdir, 'validation-report.json');
  const report = existsSync(reportPath)
    ? (JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport)
    : undefined;

  const templates = new Map<string, Template>();
  return {
    app,
    stacks,
    outdir,
    synthError,
    report,
    template(stack) {
      let template = templates.get(stack.artifactId);
      if (!template) {
        const json = JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8')) as Record<
          string,
          unknown
        >;
        template = Template.fromJSON(json);
        templates.set(stack.artifactId, template);
      }
      return template;
    },
  };
}

/** Resources of one type across the given templates, as `[logicalId, properties]`. */
export function resourcesOfType(
  templates: readonly Template[],
  type: string,
): [string, Record<string, unknown>][] {
  return templates.flatMap((template) =>
    Object.entries(template.findResources(type)).map(
      ([id, resource]) =>
        [id, (resource as { Properties: Record<string, unknown> }).Properties] as [
          string,
          Record<string, unknown>,
        ],
    ),
  );
}

/** Reads the bundle a function deploys, via its asset hash (`<hash>.zip` ↔ `asset.<hash>/`). */
export function bundleOf(outdir: string, functionProperties: Record<string, unknown>): string {
  const key = (functionProperties.Code as { S3Key: string }).S3Key;
  return readFileSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
}
