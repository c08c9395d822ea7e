import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { FHIR_JSON, type FhirAnswer, outcomeAnswer } from './fhir-answer.ts';
import { FhirBase } from './fhir-base.ts';
import { loadFhirDefinitions } from './fhir-definitions.ts';
import { BodyTooLargeError, readRequestBody } from './read-request-body.ts';

export interface LocalFhirServer {
  readonly origin: string;
  readonly version: string;
  /** Adds a separate FHIR server base at `<origin>/<name>/fhir`, token endpoint `<origin>/<name>/auth/token`. */
  addBase(name: string): FhirBase;
  base(name: string): FhirBase | undefined;
  close(): Promise<void>;
}

const BASE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function medplumVersion(): string {
  // The package exports no ./package.json; its entry point sits at dist/<format>/index.
  const require = createRequire(import.meta.url);
  const { version } = JSON.parse(
    readFileSync(join(dirname(require.resolve('@medplum/fhir-router')), '..', '..', 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return `@medplum/fhir-router ${version} (FHIR R4 4.0.1)`;
}

function isJson(request: IncomingMessage): boolean {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return type === FHIR_JSON || type === 'application/json';
}

function write(response: ServerResponse, answer: FhirAnswer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
}

async function answer(
  bases: Map<string, FhirBase>,
  request: IncomingMessage,
  origin: string,
): Promise<FhirAnswer> {
  const url = new URL(request.url ?? '/', origin);
  const [, name, area, ...rest] = url.pathname.split('/');
  const base = name ? bases.get(name) : undefined;
  if (!base) return outcomeAnswer(404, 'not-found', 'No FHIR server base here');
  const method = request.method ?? 'GET';
  const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';

  if (area === 'auth' && rest.join('/') === 'token' && method === 'POST') {
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: { error: 'invalid_request' },
      };
    }
    const { status, body } = await base.exchangeToken(new URLSearchParams(await readRequestBody(request)));
    return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body };
  }
  if (area !== 'fhir') return outcomeAnswer(404, 'not-found', 'Unknown path');

  let body: unknown;
  if (hasBody) {
    if (!isJson(request))
      return outcomeAnswer(415, 'not-supported', 'Only application/fhir+json is accepted');
    try {
      body = JSON.parse(await readRequestBody(request));
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw error;
      return outcomeAnswer(400, 'structure', 'The body is not JSON');
    }
  }
  return base.handleFhir({
    method,
    path: rest.join('/'),
    searchParams: url.searchParams,
    headers: request.headers,
    body,
  });
}

/**
 * Starts the local FHIR R4 stand-in: Medplum's FhirRouter and MemoryRepository behind node:http,
 * with one separate server base per name (one per demo tenant) and a SMART Backend Services token
 * endpoint per base.
 */
export async function startLocalFhirServer(
  options: { host?: string; port?: number } = {},
): Promise<LocalFhirServer> {
  await loadFhirDefinitions();
  const host = options.host ?? '127.0.0.1';
  const bases = new Map<string, FhirBase>();
  const version = medplumVersion();
  let origin = '';
  const server = createServer((request, response) => {
    answer(bases, request, origin).then(
      (result) => write(response, result),
      (error: unknown) =>
        write(
          response,
          error instanceof BodyTooLargeError
            ? outcomeAnswer(413, 'too-costly', 'The request body is too large')
            : outcomeAnswer(500, 'exception', 'Internal error of the FHIR stand-in'),
        ),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;

  return {
    origin,
    version,
    addBase(name) {
      if (!BASE_NAME.test(name)) throw new Error('A base name is lower-case letters, digits and "-"');
      if (bases.has(name)) throw new Error(`The FHIR base ${name} exists already`);
      const base = new FhirBase({ name, origin, version });
      bases.set(name, base);
      return base;
    },
    base: (name) => bases.get(name),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
