import fc from 'fast-check';
import { compare } from 'semver';
import { describe, expect, it } from 'vitest';
import { affectsVersion, findingsFor, severityOf } from '../../../../shared/domain/advisory-matching.ts';
import type { OsvRecord } from '../../../../shared/domain/dependency-scan.ts';

const record = (affected: OsvRecord['affected'], extra: Partial<OsvRecord> = {}): OsvRecord => ({
  id: 'GHSA-test-0000-0000',
  modified: '2026-01-01T00:00:00Z',
  affected,
  ...extra,
});
const npm = (name = 'left-pad') => ({ ecosystem: 'npm', name });
type OsvEvent = NonNullable<OsvRecord['affected'][number]['ranges']>[number]['events'][number];
const semverRange = (...events: OsvEvent[]) => [{ type: 'SEMVER', events }];

const versionArbitrary = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20))
  .map(([major, minor, patch]) => `${major}.${minor}.${patch}`);

describe('affectsVersion', () => {
  it('affects exactly the versions inside [introduced, fixed)', () => {
    fc.assert(
      fc.property(versionArbitrary, versionArbitrary, versionArbitrary, (a, b, version) => {
        const [introduced, fixed] = compare(a, b) <= 0 ? [a, b] : [b, a];
        const advisory = record([{ package: npm(), ranges: semverRange({ introduced }, { fixed }) }]);

        const isInside = compare(version, introduced) >= 0 && compare(version, fixed) < 0;

        expect(affectsVersion(advisory, 'left-pad', version)).toBe(isInside);
      }),
    );
  });

  it('includes last_affected itself and nothing after it', () => {
    const advisory = record([
      { package: npm(), ranges: semverRange({ introduced: '0' }, { last_affected: '3.9.19' }) },
    ]);

    expect(affectsVersion(advisory, 'left-pad', '0.0.1')).toBe(true);
    expect(affectsVersion(advisory, 'left-pad', '3.9.19')).toBe(true);
    expect(affectsVersion(advisory, 'left-pad', '3.9.20')).toBe(false);
  });

  it('counts an explicit versions list and ignores other packages and ecosystems', () => {
    const advisory = record([
      { package: npm(), versions: ['1.2.3'] },
      { package: { ecosystem: 'PyPI', name: 'other' }, ranges: semverRange({ introduced: '0' }) },
    ]);

    expect(affectsVersion(advisory, 'left-pad', '1.2.3')).toBe(true);
    expect(affectsVersion(advisory, 'left-pad', '1.2.4')).toBe(false);
    expect(affectsVersion(advisory, 'other', '1.0.0')).toBe(false);
  });

  it('evaluates events in version order however they are listed', () => {
    const advisory = record([
      {
        package: npm(),
        ranges: semverRange(
          { fixed: '2.5.0' },
          { introduced: '2.0.0' },
          { fixed: '1.5.0' },
          { introduced: '0' },
        ),
      },
    ]);

    expect(affectsVersion(advisory, 'left-pad', '1.0.0')).toBe(true);
    expect(affectsVersion(advisory, 'left-pad', '1.7.0')).toBe(false);
    expect(affectsVersion(advisory, 'left-pad', '2.1.0')).toBe(true);
    expect(affectsVersion(advisory, 'left-pad', '3.0.0')).toBe(false);
  });

  it('affects nothing when withdrawn or when the version is not semver', () => {
    const ranges = semverRange({ introduced: '0' });

    expect(
      affectsVersion(
        record([{ package: npm(), ranges }], { withdrawn: '2026-02-01T00:00:00Z' }),
        'left-pad',
        '1.0.0',
      ),
    ).toBe(false);
    expect(affectsVersion(record([{ package: npm(), ranges }]), 'left-pad', 'latest')).toBe(false);
  });
});

describe('findingsFor', () => {
  it('names package, version, advisory and severity once per advisory and component', () => {
    const advisory = record(
      [{ package: npm('lodash'), ranges: semverRange({ introduced: '0' }, { fixed: '4.17.21' }) }],
      {
        id: 'GHSA-p6mc-m468-83gw',
        database_specific: { severity: 'HIGH' },
        summary: 'Command injection',
      },
    );
    const components = [
      { name: 'lodash', version: '4.17.15', source: 'sbom' as const },
      { name: 'lodash', version: '4.17.15', source: 'bundle-content' as const },
      { name: 'lodash', version: '4.17.21', source: 'sbom' as const },
    ];

    const findings = findingsFor(components, (name) => (name === 'lodash' ? [advisory] : []));

    expect(findings).toEqual([
      {
        advisoryId: 'GHSA-p6mc-m468-83gw',
        package: 'lodash',
        version: '4.17.15',
        severity: 'high',
        summary: 'Command injection',
      },
    ]);
    expect(severityOf(record([]))).toBe('moderate');
  });
});
