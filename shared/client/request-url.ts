/** The URL of a call: the endpoint checked once, path parameters one segment each, the query. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Tokens and PHI travel only over TLS; plain http is for a local platform on this machine. */
export function endpointOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('endpoint must be an absolute URL such as https://plugins.example.com');
  }
  const isLoopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !isLoopback)
    throw new TypeError('endpoint must use https (http is accepted for localhost only)');
  if (url.search || url.hash) throw new TypeError('endpoint must not carry a query or fragment');
  return url.href.replace(/\/+$/, '');
}

/**
 * Each parameter fills exactly one path segment: `/` is percent-encoded, and `.`/`..` (which URL
 * parsing would resolve, moving a call on `/v1/plugins/{id}/enable` to `/v1/enable`) are refused.
 */
export function pathOf(template: string, parameters: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = parameters[name];
    if (typeof value !== 'string' || value === '') throw new TypeError(`missing path parameter ${name}`);
    if (value === '.' || value === '..') throw new TypeError(`path parameter ${name} must not be . or ..`);
    return encodeURIComponent(value);
  });
}

/** Query values as the route's schemas read them: strings, arrays joined with commas. */
export function queryOf(query: Readonly<Record<string, unknown>> = {}): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    parameters.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = parameters.toString();
  return text ? `?${text}` : '';
}
