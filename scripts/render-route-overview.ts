// Renders the integrator guide's route overview from the route records, so the guide cannot list a
// route the API does not have, or miss one it has. `node scripts/render-route-overview.ts` rewrites
// the table between the markers in docs/integrator-guide.md; test/docs/route-overview.test.ts fails
// when the guide's copy differs from what this renders.
import { ROUTE_RECORDS, type RouteRecord } from '../shared/http/route-table.ts';
import { type GeneratedSection, rewriteSection } from './generated-section.ts';

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

export const ROUTE_OVERVIEW: GeneratedSection = {
  file: new URL('../docs/integrator-guide.md', import.meta.url),
  begin: '<!-- route-overview:begin (node scripts/render-route-overview.ts) -->',
  end: '<!-- route-overview:end -->',
  render: () => renderRouteOverview(),
};

if (import.meta.main) rewriteSection(ROUTE_OVERVIEW);
