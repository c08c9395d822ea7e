#!/usr/bin/env node
/**
 * Builds the shipped advisory snapshot shared/data/osv-npm-advisories.json (OSV format, npm only)
 * and copies the bundle-signature repository shared/data/retire-jsrepository.json.
 *
 * Sources, both public:
 * - retire.js (https://github.com/RetireJS/retire.js, Apache-2.0): `repository/jsrepository-v4.json`
 *   gives the advisories of each front-end library (below / atOrAbove / severity / identifiers);
 *   `repository/jsrepository-v5.json` (the file retire 5.7's CLI downloads) is copied as the content
 *   scanner's signature repository, unchanged (its `§§version§§` placeholders are replaced at load,
 *   as retire's own `replaceVersion` does).
 * - The platform's former seed list (15 GitHub advisories, real GHSA ids), kept inline below.
 *
 * Each retire vulnerability of a component that has an npm name (its `npmname`, or the component
 * name itself when that is a lowercase npm package name) becomes one OSV record: id = its GHSA id,
 * else its first CVE, else `RETIRE-<component>-<digest>`; `aliases` the other ids; one SEMVER range
 * `introduced: atOrAbove ?? 0`, `fixed: below`; severity low/medium/high/critical as
 * LOW/MODERATE/HIGH/CRITICAL in `database_specific.severity` (the GitHub database's own field).
 * Records sharing an id (one advisory, several ranges or packages) are merged.
 *
 * Run once by a maintainer, never by tests (the output is committed):
 *   git clone https://github.com/RetireJS/retire.js /tmp/retire.js
 *   node scripts/build-advisory-snapshot.mjs /tmp/retire.js
 * (any clone or mirror works: it reads HEAD with `git show`).
 * Then commit both JSON files; the snapshot's `modified` time is SNAPSHOT_TIME below: bump it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import semver from 'semver';

const SNAPSHOT_TIME = '2026-12-02T00:00:00Z';
const retireGitDir = process.argv[2];
if (!retireGitDir) {
  console.error('usage: node scripts/build-advisory-snapshot.mjs <path to a retire.js git clone>');
  process.exit(2);
}
const outDir = new URL('../shared/data/', import.meta.url);

const gitShow = (path) =>
  execFileSync('git', ['-C', retireGitDir, 'show', `HEAD:${path}`], { maxBuffer: 64 * 1024 * 1024 }).toString(
    'utf8',
  );

/**
 * The former shared/data/advisories.json. One id is corrected: it listed jsonwebtoken < 9.0.0 as
 * GHSA-35jh-r3h4-6jhm, which is lodash's command injection; jsonwebtoken's is GHSA-8cf7-32gw-wr33.
 */
const SEED_ADVISORIES = [
  ['GHSA-whgm-jr23-g3j9', 'vm2', '<=3.9.19', 'critical', 'Sandbox escape in vm2; the project is abandoned.'],
  [
    'GHSA-cchq-frgv-rjh5',
    'vm2',
    '<=3.9.17',
    'critical',
    'Sandbox escape through Promise handler sanitization bypass.',
  ],
  [
    'GHSA-p6mc-m468-83gw',
    'lodash',
    '<4.17.21',
    'high',
    'Command injection in template and prototype pollution in zipObjectDeep.',
  ],
  ['GHSA-jf85-cpcp-j695', 'lodash', '<4.17.12', 'critical', 'Prototype pollution in defaultsDeep.'],
  [
    'GHSA-wf5p-g6vw-rhxx',
    'axios',
    '>=0.8.1 <0.28.0',
    'moderate',
    'Cross-site request forgery through leaked XSRF token.',
  ],
  [
    'GHSA-8hc4-vh64-cxmj',
    'axios',
    '>=1.0.0 <1.8.2',
    'high',
    'Server-side request forgery with absolute URLs.',
  ],
  [
    'GHSA-c2qf-rxjj-qqgw',
    'semver',
    '<5.7.2 || >=6.0.0 <6.3.1 || >=7.0.0 <7.5.2',
    'moderate',
    'Regular expression denial of service.',
  ],
  ['GHSA-7fh5-64p2-3v2j', 'postcss', '<8.4.31', 'moderate', 'Line return parsing error.'],
  [
    'GHSA-p8p7-x288-28g6',
    'request',
    '<=2.88.2',
    'moderate',
    'Server-side request forgery; the package is deprecated.',
  ],
  [
    'GHSA-4q6p-r6v2-jvc5',
    'moment',
    '>=2.18.0 <2.29.4',
    'high',
    'Inefficient regular expression complexity in RFC 2822 parsing.',
  ],
  ['GHSA-5rrq-pxf6-6jx5', 'minimist', '<0.2.4 || >=1.0.0 <1.2.6', 'critical', 'Prototype pollution.'],
  ['GHSA-8cf7-32gw-wr33', 'jsonwebtoken', '<9.0.0', 'high', 'Insecure key type and algorithm handling.'],
  ['GHSA-776f-qx25-q3cc', 'xml2js', '<0.5.0', 'moderate', 'Prototype pollution.'],
  ['GHSA-ww39-953v-wcq6', 'glob-parent', '<5.1.2', 'high', 'Regular expression denial of service.'],
  ['GHSA-9c47-m6qq-7p4h', 'json5', '<1.0.2 || >=2.0.0 <2.2.2', 'high', 'Prototype pollution via parse.'],
];

const SEVERITY = { low: 'LOW', medium: 'MODERATE', moderate: 'MODERATE', high: 'HIGH', critical: 'CRITICAL' };
const RANK = ['LOW', 'MODERATE', 'HIGH', 'CRITICAL'];
const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
// Components retire names that are not npm packages.
const NOT_NPM = new Set(['retire-example', 'dont check', 'sessvars', 'pendo', 'flowplayer']);

/** A retire version bound ("3.0.RC3", "1.999") as semver; undefined when none can be made. */
function toSemver(version) {
  if (semver.valid(version)) return version;
  return semver.coerce(version, { includePrerelease: true })?.version;
}

function npmNameOf(component, data) {
  if (data.npmname) return data.npmname;
  if (data.basePurl || NOT_NPM.has(component) || !NPM_NAME.test(component)) return undefined;
  return component;
}

const records = new Map();
function addRecord(record) {
  const existing = records.get(record.id);
  if (!existing) {
    records.set(record.id, record);
    return;
  }
  existing.aliases = [...new Set([...existing.aliases, ...record.aliases])].filter(
    (alias) => alias !== existing.id,
  );
  for (const affected of record.affected) {
    const same = existing.affected.find((candidate) => candidate.package.name === affected.package.name);
    if (same) same.ranges.push(...affected.ranges);
    else existing.affected.push(affected);
  }
  const higher = [existing.database_specific.severity, record.database_specific.severity].sort(
    (a, b) => RANK.indexOf(b) - RANK.indexOf(a),
  )[0];
  existing.database_specific.severity = higher;
  existing.summary ??= record.summary;
}

function osvRecord({ id, aliases, packageName, ranges, severity, summary, source }) {
  return {
    schema_version: '1.6.0',
    id,
    modified: SNAPSHOT_TIME,
    aliases: aliases.filter((alias) => alias !== id),
    ...(summary ? { summary: summary.slice(0, 1000) } : {}),
    affected: [{ package: { ecosystem: 'npm', name: packageName }, ranges }],
    database_specific: { severity, source },
  };
}

const retire = JSON.parse(gitShow('repository/jsrepository-v4.json'));
for (const [component, data] of Object.entries(retire)) {
  const packageName = npmNameOf(component, data);
  if (!packageName) continue;
  for (const vulnerability of data.vulnerabilities ?? []) {
    const identifiers = vulnerability.identifiers ?? {};
    const cves = identifiers.CVE ?? [];
    const ghsa = identifiers.githubID;
    const fixed = vulnerability.below === undefined ? undefined : toSemver(vulnerability.below);
    const introduced = vulnerability.atOrAbove === undefined ? '0' : toSemver(vulnerability.atOrAbove);
    if (introduced === undefined || (vulnerability.below !== undefined && fixed === undefined)) continue;
    const derived = createHash('sha256')
      .update(JSON.stringify([component, vulnerability.atOrAbove, vulnerability.below, identifiers.summary]))
      .digest('hex')
      .slice(0, 12);
    const id = ghsa ?? cves[0] ?? `RETIRE-${component.replaceAll(/[^A-Za-z0-9]+/g, '-')}-${derived}`;
    addRecord(
      osvRecord({
        id,
        aliases: [...(ghsa ? [ghsa] : []), ...cves],
        packageName,
        ranges: [{ type: 'SEMVER', events: [{ introduced }, ...(fixed ? [{ fixed }] : [])] }],
        severity: SEVERITY[vulnerability.severity] ?? 'MODERATE',
        summary: identifiers.summary,
        source: 'retire.js',
      }),
    );
  }
}

/** A semver range ("<5.7.2 || >=6.0.0 <6.3.1") as OSV SEMVER ranges, one per `||` alternative. */
function osvRangesOf(range) {
  return new semver.Range(range).set.map((comparators) => {
    const events = [{ introduced: '0' }];
    for (const { operator, semver: bound } of comparators) {
      if (operator === '>=') events[0] = { introduced: bound.version };
      else if (operator === '<') events.push({ fixed: bound.version });
      else if (operator === '<=') events.push({ last_affected: bound.version });
      else if (operator !== '') throw new Error(`unsupported comparator ${operator} in ${range}`);
    }
    return { type: 'SEMVER', events };
  });
}

for (const [id, packageName, range, severity, summary] of SEED_ADVISORIES) {
  addRecord(
    osvRecord({
      id,
      aliases: [],
      packageName,
      ranges: osvRangesOf(range),
      severity: SEVERITY[severity],
      summary,
      source: 'github-advisory-database',
    }),
  );
}

const snapshot = [...records.values()].sort((a, b) => a.id.localeCompare(b.id));
writeFileSync(new URL('osv-npm-advisories.json', outDir), `${JSON.stringify(snapshot, null, 1)}\n`);
writeFileSync(new URL('retire-jsrepository.json', outDir), gitShow('repository/jsrepository-v5.json'));
console.log(`${snapshot.length} OSV records; retire repository copied`);
