import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * `GET /docs`: an API reference rendered in the browser by Swagger UI from the platform's own
 * `GET /openapi.json`. Every asset comes from this origin (swagger-ui-dist from node_modules, the
 * page and its start script from this folder) and the CSP admits nothing else, so the page works
 * offline and sends nothing anywhere. Local only: see the README's "HTTP API" for why AWS does not serve it.
 */
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const OWN = join(import.meta.dirname, 'api-reference');

const ASSETS: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/docs': { file: join(OWN, 'index.html'), type: 'text/html; charset=utf-8' },
  '/docs/assets/reference.js': { file: join(OWN, 'reference.js'), type: 'text/javascript; charset=utf-8' },
  '/docs/assets/swagger-ui-bundle.js': {
    file: join(SWAGGER_UI, 'swagger-ui-bundle.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/docs/assets/swagger-ui.css': {
    file: join(SWAGGER_UI, 'swagger-ui.css'),
    type: 'text/css; charset=utf-8',
  },
};

/**
 * Swagger UI sets inline styles and draws some icons as data: SVGs (its maintainers' documented
 * minimum); scripts are this origin's files only, with no inline script.
 */
export const API_REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const cache = new Map<string, Buffer>();

/** The page or one of its assets, or undefined for any other path (the route table's to answer). */
export async function apiReferenceResponse(
  pathname: string,
  requestId: string,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  const asset = Object.hasOwn(ASSETS, pathname) ? ASSETS[pathname] : undefined;
  if (!asset) return undefined;
  const body = cache.get(asset.file) ?? (await readFile(asset.file));
  cache.set(asset.file, body);
  return {
    statusCode: 200,
    headers: {
      'content-type': asset.type,
      'content-security-policy': API_REFERENCE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
      'x-request-id': requestId,
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}
