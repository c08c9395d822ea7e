import { describe, expect, it } from 'vitest';
import { releaseClaimBytes, sbomSha256Of } from '../../../../../shared/domain/release-claim.ts';
import { sha256Hex } from '../../../../../shared/domain/signatures.ts';
import {
  actor,
  createMarketplaceHarness,
  metadata,
  pluginCode,
} from '../../../../support/fakes/in-memory-marketplace-harness.ts';

const SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  components: [{ type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
};
const NOTES = 'Shows trends over the last year.';

async function setUp() {
  const harness = createMarketplaceHarness();
  await harness.register();
  const code = pluginCode('lab-viewer@1.1.0');
  const claim = (members: { releaseNotes?: string; sbom?: unknown } = {}) =>
    new TextDecoder().decode(
      releaseClaimBytes({
        pluginId: 'lab-viewer',
        version: '1.1.0',
        artifactSha256: sha256Hex(code),
        ...(members.sbom === undefined ? {} : { sbomSha256: sbomSha256Of(members.sbom) }),
        ...(members.releaseNotes === undefined ? {} : { releaseNotes: members.releaseNotes }),
      }),
    );
  const publish = (body: Record<string, unknown>) =>
    harness.service.publish(
      { id: 'lab-viewer' as never, version: '1.1.0', metadata: metadata(), code, ...body } as never,
      actor('pub-acme'),
    );
  return { ...harness, code, claim, publish };
}

describe('publishing with an SBOM and release notes', () => {
  it('accepts a signature over the claim and stores notes, SBOM digest, components and scan', async () => {
    const { publish, claim, publisher, fakes } = await setUp();

    const release = await publish({
      sbom: SBOM,
      releaseNotes: NOTES,
      signature: publisher.sign(claim({ sbom: SBOM, releaseNotes: NOTES })),
    });

    const stored = await fakes.catalogue.getRelease('lab-viewer', '1.1.0');
    expect(stored).toEqual(release);
    expect(release).toMatchObject({
      releaseNotes: NOTES,
      sbomSha256: sbomSha256Of(SBOM),
      components: [{ name: 'left-pad', version: '1.3.0', source: 'sbom' }],
      security: { status: 'clean', findings: [] },
    });
    const statement = await fakes.artifacts.getStatement('lab-viewer', '1.1.0');
    expect(JSON.parse(statement?.payload ?? '{}')).toMatchObject({
      releaseNotes: NOTES,
      sbomSha256: sbomSha256Of(SBOM),
    });
  });

  it('refuses notes or an SBOM that the signature does not cover', async () => {
    const { publish, claim, publisher } = await setUp();
    const signature = publisher.sign(claim({ sbom: SBOM, releaseNotes: NOTES }));
    const otherSbom = { ...SBOM, components: [{ type: 'library', name: 'left-pad', version: '1.3.1' }] };

    await expect(publish({ sbom: SBOM, releaseNotes: 'Tampered.', signature })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    await expect(publish({ sbom: otherSbom, releaseNotes: NOTES, signature })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    await expect(
      publish({ sbom: { ...SBOM, metadata: { tampered: true } }, releaseNotes: NOTES, signature }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('refuses an artifact signature when notes are sent, and a claim signature without them', async () => {
    const { publish, claim, publisher, code } = await setUp();

    await expect(publish({ releaseNotes: NOTES, signature: publisher.sign(code) })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    await expect(
      publish({ signature: publisher.sign(claim({ releaseNotes: NOTES })) }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
  });

  it('refuses release notes that are not plain text', async () => {
    const { publish, claim, publisher } = await setUp();
    const notes = 'Fixed \u001b[31mred\u001b[0m';

    await expect(
      publish({ releaseNotes: notes, signature: publisher.sign(claim({ releaseNotes: notes })) }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'releaseNotes',
    });
  });
});
