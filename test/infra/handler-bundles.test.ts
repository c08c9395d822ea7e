import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlerEntry } from '../../infra/stacks/api-stack.ts';
import { FUNCTION_NAMES, ROUTES } from '../../shared/http/route-table.ts';
import { bundleOf, resourcesOfType, type SynthesizedPlatform, synthPlatform } from './synth-platform.ts';

describe('the real handlers, bundled as cdk synth bundles them', () => {
  let platform: SynthesizedPlatform;

  beforeAll(() => {
    platform = synthPlatform({ cloudFormationValidation: false });
  });

  it('synthesizes the app from cdk.json context', () => {
    expect(platform.synthError).toBeUndefined();
  });

  it('builds one function per function name the route table uses', () => {
    const routed = FUNCTION_NAMES.filter((name) => ROUTES.some((route) => route.function === name));

    expect([...platform.stacks.api.functions.keys()].sort()).toEqual([...routed].sort());
  });

  it('bundles each handler as ESM with require defined and the AWS SDK left to the runtime', () => {
    const functions = resourcesOfType([platform.template(platform.stacks.api)], 'AWS::Lambda::Function');

    for (const [, properties] of functions) {
      const bundle = bundleOf(platform.outdir, properties);

      expect(
        bundle.startsWith("import { createRequire as __gradiantCreateRequire } from 'node:module';"),
      ).toBe(true);
      expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b/);
      // The SDK v3 clients alone are several MB; a bundle this small cannot contain them.
      expect(bundle.length).toBeLessThan(1_500_000);
    }
  });

  it('bundles the execution handler, once it exists, without isolated-vm (the layer provides it)', () => {
    const functions = resourcesOfType(
      [platform.template(platform.stacks.execution)],
      'AWS::Lambda::Function',
    );

    expect(functions.length).toBe(existsSync(handlerEntry('execution')) ? 1 : 0);
    for (const [, properties] of functions) {
      const bundle = bundleOf(platform.outdir, properties);

      expect(bundle).not.toContain('node-gyp-build');
      expect(properties.Layers).toHaveLength(1);
    }
  });

  it('bundles the audit stream consumer, the digest run and the webhook delivery', () => {
    const functions = resourcesOfType([platform.template(platform.stacks.audit)], 'AWS::Lambda::Function');
    const services = functions.map(
      ([, properties]) =>
        (properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME,
    );

    expect(services.sort()).toEqual(['audit-digest', 'audit-stream', 'webhook-delivery']);
    for (const [, properties] of functions) {
      const bundle = bundleOf(platform.outdir, properties);
      expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(bundle.length).toBeLessThan(1_500_000);
    }
  });
});
