import { z } from 'zod';

export const DEFAULT_ENDPOINT = 'http://localhost:3000';

const ProblemSchema = z.object({
  status: z.number().optional(),
  code: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** A refusal by the server, rendered with its stable problem `code` so authors can search for it. */
export class ServerProblemError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, body: unknown) {
    const problem = ProblemSchema.safeParse(body);
    const code = (problem.success && problem.data.code) || `HTTP_${status}`;
    const detail = (problem.success && problem.data.detail) || 'the server refused the request';
    const fields = problem.success
      ? (problem.data.errors ?? []).map((issue) => `\n  ${issue.field}: ${issue.message}`).join('')
      : '';
    super(`${status} ${code}: ${detail}${fields}`);
    this.status = status;
    this.code = code;
  }
}

/** A minimal JSON client for the marketplace API, with the bearer token from the environment. */
export function createMarketplaceClient(options: { endpoint: string; token: string; fetch: typeof fetch }) {
  const base = options.endpoint.replace(/\/+$/, '');
  return async function request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await options.fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw new ServerProblemError(response.status, parsed);
    return parsed;
  };
}
