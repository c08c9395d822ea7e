import type { RouteDefinition } from '../../shared/http/route-table.ts';

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string>;
}

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly method: string;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
}

/**
 * Matches requests against API Gateway route keys the way API Gateway does for this table: exact
 * segments win over `{param}` segments, and a parameter matches exactly one non-empty segment.
 */
export function createRouteMatcher(routes: readonly RouteDefinition[]) {
  const compiled: CompiledRoute[] = routes
    .map((route) => {
      const [method = '', path = ''] = route.routeKey.split(' ');
      const parameterNames: string[] = [];
      const source = path
        .split('/')
        .map((segment) => {
          const parameter = /^\{(\w+)\}$/.exec(segment);
          if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          parameterNames.push(parameter[1]);
          return '([^/]+)';
        })
        .join('/');
      return { route, method, pattern: new RegExp(`^${source}$`), parameterNames };
    })
    // Literal segments before parameters, as API Gateway prefers the most specific route.
    .sort((a, b) => a.parameterNames.length - b.parameterNames.length);

  return (method: string, path: string): RouteMatch | undefined => {
    for (const candidate of compiled) {
      if (candidate.method !== method) continue;
      const match = candidate.pattern.exec(path);
      if (!match) continue;
      const pathParameters: Record<string, string> = {};
      try {
        candidate.parameterNames.forEach((name, index) => {
          pathParameters[name] = decodeURIComponent(match[index + 1] ?? '');
        });
      } catch {
        return undefined;
      }
      return { route: candidate.route, pathParameters };
    }
    return undefined;
  };
}
