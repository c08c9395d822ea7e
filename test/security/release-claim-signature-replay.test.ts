import { describe, expect, it } from 'vitest';
import { releaseClaimBytes } from '../../shared/domain/release-claim.ts';
import { sha256Hex } from '../../shared/domain/signatures.ts';
import { toPluginBody } from '../../shared/sandbox/plugin-source.ts';
import {
  actor,
  createMarketplaceHarness,
  metadata,
  pluginCode,
} from '../support/fakes/in-memory-marketplace-harness.ts';
import { createLifecycleHarness, SAMPLE_CODE, sampleMetadata } from '../support/lifecycle-harness.ts';

const claimText = (code: string, releaseNotes: string) =>
  new TextDecoder().decode(
    releaseClaimBytes({ pluginId: 'p1', version: '1.0.0', artifactSha256: sha256Hex(code), releaseNotes }),
  );

/**
 * Attack: take a publisher's signature over a release claim (it signs notes and an SBOM with the
 * artifact's digest) and pass it off as a signature over module bytes, or strip the notes from a
 * claim-signed publish so it reads as an artifact-signed one. The claim's prefix makes its bytes
 * something no plugin module is, so neither signature verifies as the other.
 */
describe('security: replaying a release-claim signature as an artifact signature', () => {
  it('refuses a claim signature offered for a direct install of the artifact', async () => {
    const h = await createLifecycleHarness();
    const signature = h.signed(claimText(SAMPLE_CODE, 'Harmless notes.'));

    const attempt = h.serviceFor().installPlugin({
      id: 'p1',
      version: '1.0.0',
      code: SAMPLE_CODE,
      metadata: sampleMetadata(),
      signature,
    });

    await expect(attempt).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('refuses the claim bytes themselves as a plugin module', async () => {
    const h = await createLifecycleHarness();
    const claim = claimText(SAMPLE_CODE, 'export default { async execute() { return 1; } };');

    const attempt = h.serviceFor().installPlugin({
      id: 'p1',
      version: '1.0.0',
      code: claim,
      metadata: sampleMetadata(),
      signature: h.signed(claim),
    });

    expect(toPluginBody(claim).ok).toBe(false);
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_ARTIFACT' });
  });

  it('refuses a claim-signed publish whose notes were stripped', async () => {
    const { service, publisher, register } = createMarketplaceHarness();
    await register();
    const code = pluginCode('p1@1.0.0');
    const signature = publisher.sign(claimText(code, 'Signed notes.'));

    const attempt = service.publish(
      { id: 'p1' as never, version: '1.0.0', metadata: metadata(), code, signature },
      actor('pub-acme'),
    );

    await expect(attempt).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });
});
