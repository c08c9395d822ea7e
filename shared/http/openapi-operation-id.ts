import type { RouteRecord } from './route-record.ts';

export function splitRouteKey(routeKey: string): { method: string; path: string } {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  return { method, path };
}

const pascalCase = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => `${word[0]?.toUpperCase()}${word.slice(1)}`)
    .join('');

/**
 * The record's own operationId, or one derived from its route key so that every route has a
 * unique one: the method, then each path segment, parameters as `By<Name>`
 * (`DELETE /v1/webhooks/{webhookId}` → `deleteWebhooksByWebhookId`).
 */
export function operationIdOf(record: RouteRecord): string {
  if (record.operationId) return record.operationId;
  const { method, path } = splitRouteKey(record.routeKey);
  const segments = path
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'v1')
    .map((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment)?.[1];
      return parameter ? `By${pascalCase(parameter)}` : pascalCase(segment);
    });
  return `${method.toLowerCase()}${segments.join('')}`;
}
