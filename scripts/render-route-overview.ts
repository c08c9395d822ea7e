// Renders the integrator guide's route overview from the route records, so the guide cannot list a
// route the API does not have, or miss one it has. `node scripts/render-route-overview.ts` rewrites
// the table between the markers in docs/integrator-guide.md; test/docs/route-overview.test.ts fails
// when the guide's copy differs from what this renders.
import { readFileSync, writeFileSync } from 'node:fs';
import { ROUTE_RECORDS, type RouteRecord } from '../shared/http/route-table.ts';

export const ROUTE_OVERVIEW_BEGIN = '<!-- route-overview:begin (node scripts/render-route-overview.ts) -->';
export const ROUTE_OVERVIEW_END = '<!-- route-overview:end -->';
export const INTEGRATOR_GUIDE = new URL('../docs/integrator-guide.md', import.meta.url);

function scopesOf(record: RouteRecord): string {
  if (!record.isAuthenticated) return 'none';
  if (record.scopes.length === 0) return 'any token';
  return record.scopes.map((scope) => `\`${scope}\``).join(' or ');
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function renderRouteOverview(records: readonly RouteRecord[] = ROUTE_RECORDS): string {
  const rows = records.map((record) => {
    const idempotent = record.idempotencyScope ? ' (`Idempotency-Key`)' : '';
    return `| \`${record.routeKey}\` | ${scopesOf(record)} | ${record.status} | ${cell(record.summary)}${idempotent} |`;
  });
  return ['| route | scope | success | what it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The guide with its overview replaced by a fresh rendering (markers kept). */
export function withRouteOverview(guide: string, overview = renderRouteOverview()): string {
  const begin = guide.indexOf(ROUTE_OVERVIEW_BEGIN);
  const end = guide.indexOf(ROUTE_OVERVIEW_END);
  if (begin < 0 || end < begin) throw new Error('the guide has no route overview markers');
  return `${guide.slice(0, begin + ROUTE_OVERVIEW_BEGIN.length)}\n\n${overview}\n\n${guide.slice(end)}`;
}

if (import.meta.main) {
  writeFileSync(INTEGRATOR_GUIDE, withRouteOverview(readFileSync(INTEGRATOR_GUIDE, 'utf8')));
}
