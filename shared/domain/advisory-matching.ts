import { coerce, compare, satisfies, valid } from 'semver';
import type { AdvisoryFinding, DetectedComponent, OsvRecord, Severity } from './dependency-scan.ts';

/**
 * OSV's affected ranges for npm, evaluated with semver: `introduced` opens a range, `fixed` and
 * `limit` close it before the version, `last_affected` closes it at the version. An explicit
 * `versions` list also counts. A withdrawn record affects nothing.
 */
export function affectsVersion(record: OsvRecord, packageName: string, version: string): boolean {
  if (record.withdrawn !== undefined || valid(version) === null) return false;
  return record.affected.some((affected) => {
    if (affected.package.ecosystem !== 'npm' || affected.package.name !== packageName) return false;
    if (affected.versions?.includes(version)) return true;
    return (affected.ranges ?? [])
      .filter((range) => range.type === 'SEMVER' || range.type === 'ECOSYSTEM')
      .some((range) => rangeIncludes(range.events, version));
  });
}

type OsvEvent = OsvRecord['affected'][number] extends { ranges?: (infer R)[] }
  ? R extends { events: (infer E)[] }
    ? E
    : never
  : never;

const at = (bound: string) => (bound === '0' ? '0.0.0-0' : bound);

/** The version an event sits at; `limit: *` sorts last. */
function boundOf(event: OsvEvent): string {
  const value = Object.values(event).find((member) => typeof member === 'string') as string;
  return value === '*' ? '999999999.0.0' : (coerceToSemver(at(value)) ?? '0.0.0-0');
}

function coerceToSemver(bound: string): string | undefined {
  return valid(bound) ?? coerce(bound, { includePrerelease: true })?.version;
}

/**
 * OSV does not require a range's events to be listed in order; the evaluation walks them sorted
 * by version (https://ossf.github.io/osv-schema/#evaluation), else a `fixed` listed before its
 * `introduced` would leave every later version affected.
 */
function rangeIncludes(events: readonly OsvEvent[], version: string): boolean {
  let isInside = false;
  const sorted = [...events].sort((left, right) => compare(boundOf(left), boundOf(right)));
  for (const event of sorted) {
    if ('introduced' in event && typeof event.introduced === 'string') {
      if (satisfies(version, `>=${at(event.introduced)}`, { includePrerelease: true })) isInside = true;
    } else if ('fixed' in event && typeof event.fixed === 'string') {
      if (satisfies(version, `>=${event.fixed}`, { includePrerelease: true })) isInside = false;
    } else if ('limit' in event && typeof event.limit === 'string') {
      if (event.limit !== '*' && satisfies(version, `>=${event.limit}`, { includePrerelease: true }))
        isInside = false;
    } else if ('last_affected' in event && typeof event.last_affected === 'string') {
      if (satisfies(version, `>${event.last_affected}`, { includePrerelease: true })) isInside = false;
    }
  }
  return isInside;
}

const GHSA_SEVERITIES: Record<string, Severity> = {
  LOW: 'low',
  MODERATE: 'moderate',
  MEDIUM: 'moderate',
  HIGH: 'high',
  CRITICAL: 'critical',
};

/**
 * The record's severity: the GitHub advisory database's own rating where the record carries it
 * (`database_specific.severity`), else `moderate` (a CVSS vector alone is not scored here).
 */
export function severityOf(record: OsvRecord): Severity {
  const rated = record.database_specific?.severity;
  return (typeof rated === 'string' && GHSA_SEVERITIES[rated.toUpperCase()]) || 'moderate';
}

/** Every advisory affecting every component, once per (advisory, package, version). */
export function findingsFor(
  components: readonly DetectedComponent[],
  advisoriesFor: (packageName: string) => readonly OsvRecord[],
): AdvisoryFinding[] {
  const findings = new Map<string, AdvisoryFinding>();
  for (const component of components) {
    for (const record of advisoriesFor(component.name)) {
      if (!affectsVersion(record, component.name, component.version)) continue;
      const key = `${record.id} ${component.name} ${component.version}`;
      findings.set(key, {
        advisoryId: record.id,
        package: component.name,
        version: component.version,
        severity: severityOf(record),
        ...(record.summary ? { summary: record.summary.slice(0, 1000) } : {}),
      });
    }
  }
  return [...findings.values()];
}
