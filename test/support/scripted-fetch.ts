/** One request as the SDK sent it: method, URL, lower-cased headers and the parsed JSON body. */
export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The SDK's per-attempt timeout signal. */
  readonly signal: AbortSignal | undefined;
  /** The body as given to fetch (a stream stays unread until an answer reads it). */
  readonly rawBody: RequestInit['body'];
}

/** What the scripted server answers next: a response, or a thrown network failure. */
export type ScriptedAnswer = Response | Error | ((request: SentRequest) => Response | Promise<Response>);

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const problem = (
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) =>
  new Response(JSON.stringify({ type: '/problems/x', title: 'T', status, detail: 'D', ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

/**
 * A `fetch` for SDK unit tests: answers from a script, in order, and records every request.
 * Running out of script is a test bug and fails loudly.
 */
export function scriptedFetch(...script: ScriptedAnswer[]) {
  const sent: SentRequest[] = [];
  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const request: SentRequest = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init.signal ?? undefined,
      rawBody: init.body,
    };
    sent.push(request);
    const next = script.shift();
    if (next === undefined) throw new Error(`unscripted request ${request.method} ${request.url}`);
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next(request) : next;
  };
  return { fetch: fetchImpl as typeof fetch, sent, remaining: () => script.length };
}
