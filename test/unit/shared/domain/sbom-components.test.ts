import { describe, expect, it } from 'vitest';
import { SbomSchema } from '../../../../shared/domain/dependency-scan.ts';
import { componentsOfSbom } from '../../../../shared/domain/sbom-components.ts';

describe('componentsOfSbom', () => {
  it('names npm components as npm does, scoped ones with their group, and skips other ecosystems', () => {
    const sbom = SbomSchema.parse({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        { type: 'library', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' },
        { type: 'library', group: '@angular', name: 'core', version: '10.0.0' },
        { type: 'library', group: 'babel', name: 'runtime', version: '7.0.0' },
        { type: 'library', name: 'requests', version: '2.0.0', purl: 'pkg:pypi/requests@2.0.0' },
      ],
    });

    expect(componentsOfSbom(sbom)).toEqual([
      { name: 'lodash', version: '4.17.15', source: 'sbom' },
      { name: '@angular/core', version: '10.0.0', source: 'sbom' },
      { name: '@babel/runtime', version: '7.0.0', source: 'sbom' },
    ]);
  });
});
