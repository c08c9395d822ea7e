import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedDemoMarketplace } from '../../../../../apps/local-platform/demo/demo-catalogue.ts';
import { exampleBuilds } from '../../../../support/example-builds.ts';
import { actor, createMarketplaceHarness } from '../../../../support/fakes/in-memory-marketplace-harness.ts';

describe('seedDemoMarketplace', () => {
  it('publishes the example builds as a verified publisher once, installable and searchable', async () => {
    const { service, fakes } = createMarketplaceHarness();
    const plugins = await exampleBuilds();
    const publisherKeyFile = join(mkdtempSync(join(tmpdir(), 'demo-key-')), 'demo.pem');

    const first = await seedDemoMarketplace({
      marketplace: service,
      catalogue: fakes.catalogue,
      publisherKeyFile,
      plugins,
      clock: fakes.clock,
    });
    const again = await seedDemoMarketplace({
      marketplace: service,
      catalogue: fakes.catalogue,
      publisherKeyFile,
      plugins,
      clock: fakes.clock,
    });

    expect(first.published).toEqual([
      'patient-summary@1.0.0',
      'appointment-reminder@1.2.0',
      'no-show-tracker@0.9.0',
    ]);
    expect(again.published).toEqual([]);
    expect((await service.getPlugin('patient-summary')).publisher.isVerified).toBe(true);
    const found = await service.searchPlugins({
      query: 'appointments',
      tags: [],
      sort: 'relevance',
      limit: 10,
    });
    expect(found.items.map((item) => item.pluginId)).toContain('appointment-reminder');
    await expect(
      service.downloadAndInstall('patient-summary', '1.0.0', actor('t-acme')),
    ).resolves.toMatchObject({
      version: '1.0.0',
    });
  });
});
