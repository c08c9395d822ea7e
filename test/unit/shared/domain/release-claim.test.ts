import { describe, expect, it } from 'vitest';
import {
  RELEASE_CLAIM_PREFIX,
  releaseClaimBytes,
  sbomSha256Of,
} from '../../../../shared/domain/release-claim.ts';
import { serializeStatement } from '../../../../shared/domain/release-statement.ts';

const SHA = 'a'.repeat(64);

describe('release claim', () => {
  it('is the prefix then the canonical JSON of the claim, absent members left out', () => {
    const text = new TextDecoder().decode(
      releaseClaimBytes({
        version: '1.0.0',
        pluginId: 'lab-viewer',
        artifactSha256: SHA,
        releaseNotes: 'Fixes.',
      }),
    );

    expect(text).toBe(
      `${RELEASE_CLAIM_PREFIX}{"artifactSha256":"${SHA}","pluginId":"lab-viewer","releaseNotes":"Fixes.","version":"1.0.0"}`,
    );
  });

  it('digests an SBOM by its canonical JSON, whatever its key order or spacing', () => {
    expect(sbomSha256Of(JSON.parse('{ "b": [1, 2], "a": "x" }'))).toBe(sbomSha256Of({ a: 'x', b: [1, 2] }));
    expect(sbomSha256Of({ a: 'x' })).not.toBe(sbomSha256Of({ a: 'y' }));
  });
});

describe('release statement', () => {
  const statement = {
    pluginId: 'lab-viewer',
    version: '1.0.0',
    sha256: SHA,
    publisher: 'pub-acme',
    permissions: ['read:patients'],
    publishedAt: '2030-01-01T00:00:00.000Z',
  };

  it('keeps the bytes of a statement without notes or SBOM exactly as before', () => {
    expect(serializeStatement(statement)).toBe(
      `{"pluginId":"lab-viewer","version":"1.0.0","sha256":"${SHA}","publisher":"pub-acme","permissions":["read:patients"],"publishedAt":"2030-01-01T00:00:00.000Z"}`,
    );
  });

  it('adds release notes and the SBOM digest at the end when present', () => {
    const payload = serializeStatement({ ...statement, releaseNotes: 'Fixes.', sbomSha256: 'b'.repeat(64) });

    expect(payload.endsWith(`"releaseNotes":"Fixes.","sbomSha256":"${'b'.repeat(64)}"}`)).toBe(true);
  });
});
