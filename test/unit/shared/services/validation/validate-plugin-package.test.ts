import { describe, expect, it } from 'vitest';
import { OsvAdvisoryDatabase } from '../../../../../shared/adapters/osv-advisory-database.ts';
import { RetireBundleScanner } from '../../../../../shared/adapters/retire-bundle-scanner.ts';
import type { DomainError } from '../../../../../shared/domain/errors/domain-error.ts';
import { validatePluginPackage } from '../../../../../shared/services/validation/validate-plugin-package.ts';

const deps = {
  advisories: OsvAdvisoryDatabase.shipped(),
  bundleScanner: RetireBundleScanner.shipped(),
  clock: { now: () => new Date('2030-01-01T00:00:00Z') },
};
const metadata = {
  name: 'Lab Viewer',
  description: 'Shows labs.',
  author: 'Acme',
  permissions: ['read:patients'],
};
const CODE = 'export default { async execute() { return 1; } };\n';
const BUNDLED_JQUERY = `/*! jQuery v1.8.3 jquery.com | jquery.org/license */\nvar jq = 1;\n${CODE}`;
const sbomWith = (...components: Record<string, unknown>[]) => ({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  components,
});

describe('validatePluginPackage: the dependency scan', () => {
  it('refuses an undeclared library found in the bundle, naming package, version, advisory and severity', async () => {
    const attempt = validatePluginPackage(
      { id: 'lab-viewer', version: '1.0.0', code: BUNDLED_JQUERY, metadata },
      deps,
    );

    await expect(attempt).rejects.toMatchObject({
      code: 'VULNERABLE_DEPENDENCY',
      field: 'code',
      message: expect.stringContaining('jquery@1.8.3 is affected by advisory GHSA-'),
      details: {
        findings: expect.arrayContaining([
          expect.objectContaining({ package: 'jquery', version: '1.8.3', severity: 'moderate' }),
        ]),
      },
    });
  });

  it('names every finding, from the SBOM and the bundle alike', async () => {
    const sbom = sbomWith({ type: 'library', name: 'minimist', version: '1.2.5' });

    const error = await validatePluginPackage(
      { id: 'lab-viewer', version: '1.0.0', code: BUNDLED_JQUERY, metadata, sbom },
      deps,
    ).then(
      () => expect.unreachable('the scan must refuse'),
      (caught: DomainError) => caught,
    );
    const findings = error.details.findings ?? [];

    const packages = new Set(findings.map((finding) => finding.package));
    expect(packages).toEqual(new Set(['minimist', 'jquery']));
    expect(findings).toContainEqual({
      package: 'minimist',
      version: '1.2.5',
      advisoryId: 'GHSA-5rrq-pxf6-6jx5',
      severity: 'critical',
    });
  });

  it('names the SBOM field at fault', async () => {
    const sbom = sbomWith(
      { type: 'library', name: 'a', version: '1.0.0' },
      { type: 'library', name: 'b', version: '1.0.0' },
      { type: 'library', name: 'c', version: '1.0.0' },
      { type: 'library', name: 'd', version: 7 },
    );

    const attempt = validatePluginPackage(
      { id: 'lab-viewer', version: '1.0.0', code: CODE, metadata, sbom },
      deps,
    );

    await expect(attempt).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'sbom.components.3.version' })],
    });
  });

  it('carries what it found and a clean first scan, with the database version', async () => {
    const sbom = sbomWith({ type: 'library', name: 'left-pad', version: '1.3.0' });

    const validated = await validatePluginPackage(
      { id: 'lab-viewer', version: '1.0.0', code: CODE, metadata, sbom },
      deps,
    );

    expect(validated.components).toEqual([{ name: 'left-pad', version: '1.3.0', source: 'sbom' }]);
    expect(validated.sbomSha256).toMatch(/^[a-f0-9]{64}$/);
    expect(validated.security).toEqual({
      status: 'clean',
      findings: [],
      scannedAt: '2030-01-01T00:00:00.000Z',
      databaseVersion: await deps.advisories.version(),
    });
  });
});
