import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sectionTextOf } from '../../scripts/generated-section.ts';
import { ROUTE_OVERVIEW, renderRouteOverview } from '../../scripts/render-route-overview.ts';
import { ROUTE_RECORDS } from '../../shared/http/route-table.ts';

const overview = sectionTextOf(readFileSync(ROUTE_OVERVIEW.file, 'utf8'), ROUTE_OVERVIEW);
const listed = [...overview.matchAll(/^\| `([A-Z]+ \/[^`]*)` \|/gm)].map((row) => String(row[1]));

describe("the integrator guide's route overview", () => {
  it('is the rendering of the route table (node scripts/render-route-overview.ts)', () => {
    expect(overview).toBe(renderRouteOverview());
  });

  it.each(ROUTE_RECORDS.map((record) => record.routeKey))('lists %s', (routeKey) => {
    expect(listed).toContain(routeKey);
  });

  it('lists no route the table does not have', () => {
    const routeKeys = new Set(ROUTE_RECORDS.map((record) => record.routeKey));

    expect(listed.filter((routeKey) => !routeKeys.has(routeKey))).toEqual([]);
  });
});
