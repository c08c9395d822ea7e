import { FhirHttpClient } from '../../shared/adapters/fhir/fhir-http-client.ts';
import type { FhirTransport } from '../../shared/adapters/fhir/fhir-transport.ts';
import type { EhrConnection } from '../../shared/domain/ehr-connection.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import type { HttpRequestInit, HttpResponse } from '../../shared/sandbox/host.ts';

/** A clock that only moves when a test (or a fake sleep) moves it. */
export class ManualClock implements Clock {
  current: number;

  constructor(start = Date.parse('2026-12-02T10:00:00Z')) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly timeoutMs: number;
}

export type FakeAnswer = HttpResponse | Error;
export type FakeRoute = (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

/** A response with a JSON body. */
export function json(status: number, body?: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/fhir+json', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/**
 * A FHIR server at the transport level: each request is recorded and answered by `route`, so
 * tests script statuses, headers, bodies and network failures without a socket.
 */
export class FakeFhirServer {
  readonly requests: RecordedRequest[] = [];
  route: FakeRoute;

  constructor(route: FakeRoute = () => json(404)) {
    this.route = route;
  }

  readonly transport: FhirTransport = async (url: string, init: HttpRequestInit, timeoutMs: number) => {
    const request = { url, method: init.method, headers: init.headers, body: init.body, timeoutMs };
    this.requests.push(request);
    const answer = await this.route(request);
    if (answer instanceof Error) throw answer;
    return answer;
  };
}

/** An HTTP client over the fake server whose sleeps advance the manual clock instead of waiting. */
export function fakeHttpClient(
  server: FakeFhirServer,
  clock: ManualClock,
  sleeps: number[] = [],
): FhirHttpClient {
  return new FhirHttpClient({
    transport: server.transport,
    clock,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
  });
}

export const FHIR_BASE = 'https://ehr.example.org/fhir/R4';
export const TOKEN_ENDPOINT = 'https://ehr.example.org/oauth2/token';

export function ehrConnection(overrides: Partial<EhrConnection> = {}): EhrConnection {
  return {
    tenantId: 't-acme',
    fhirBaseUrl: FHIR_BASE,
    clientId: 'gradiant-client',
    tokenEndpoint: TOKEN_ENDPOINT,
    resolvedTokenEndpoint: TOKEN_ENDPOINT,
    scopes: ['system/Patient.rs', 'system/Appointment.cruds'],
    signingAlgorithm: 'ES384',
    keyId: 'kid-1',
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    updatedBy: 'admin-1',
    ...overrides,
  };
}
