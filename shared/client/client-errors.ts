import { z } from 'zod';
import { AdvisoryFindingSchema } from '../domain/dependency-scan.ts';
import { type AnswerCode, ERROR_CODES, UNEXPECTED_ERROR_CODE } from '../domain/errors/error-codes.ts';

/**
 * The code of an error answer that is not one of the platform's problems (a gateway's HTML 502,
 * an API Gateway throttle's `{"message":...}`): client-side only, the server never sends it.
 */
export const UNRECOGNISED_RESPONSE_CODE = 'UNRECOGNISED_RESPONSE';
export type ApiErrorCode = AnswerCode | typeof UNRECOGNISED_RESPONSE_CODE;

/**
 * How the SDK reads an RFC 9457 problem (shared/http/problem.ts renders it). Loose on purpose:
 * a member the server adds later must not turn a refusal into a parse failure.
 */
const ProblemBodySchema = z.looseObject({
  code: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  findings: z.array(AdvisoryFindingSchema).optional(),
});

export type FieldProblem = { readonly field: string; readonly message: string };
export type ProblemFinding = z.output<typeof AdvisoryFindingSchema>;

const isAnswerCode = (code: string | undefined): code is AnswerCode =>
  code !== undefined && (Object.hasOwn(ERROR_CODES, code) || code === UNEXPECTED_ERROR_CODE);

/** Where a call went: the method and URL (endpoint and path), never its query values or body. */
export interface CallSite {
  readonly method: string;
  readonly url: string;
}

/** The platform answered with an error status; `code` is its stable problem code. */
export class GradiantApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly errors: readonly FieldProblem[];
  readonly findings: readonly ProblemFinding[] | undefined;
  /** The problem's `instance` (or the `x-request-id` header): quote it when reporting a fault. */
  readonly requestId: string | undefined;
  /** Seconds from `Retry-After`, when the answer had one (429, 503). */
  readonly retryAfterSeconds: number | undefined;
  /** Every member of the problem as received, extension members (`state`, …) included. */
  readonly problem: Readonly<Record<string, unknown>>;
  readonly method: string;
  readonly url: string;

  constructor(
    site: CallSite,
    status: number,
    body: unknown,
    headers: { requestId?: string | undefined; retryAfterSeconds?: number | undefined },
  ) {
    const parsed = ProblemBodySchema.safeParse(body);
    const problem = parsed.success ? parsed.data : {};
    const code = isAnswerCode(problem.code) ? problem.code : UNRECOGNISED_RESPONSE_CODE;
    super(
      `${site.method} ${site.url} answered ${status} ${code}${problem.detail ? `: ${problem.detail}` : ''}`,
    );
    this.name = 'GradiantApiError';
    this.method = site.method;
    this.url = site.url;
    this.status = status;
    this.code = code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.findings = problem.findings;
    this.requestId = problem.instance ?? headers.requestId;
    this.retryAfterSeconds = headers.retryAfterSeconds;
    this.problem = parsed.success ? parsed.data : {};
  }
}

/** The request never got an answer (DNS, TLS, connection reset, aborted), after any retries. */
export class GradiantNetworkError extends Error {
  readonly method: string;
  readonly url: string;

  constructor(site: CallSite, cause: unknown) {
    super(`${site.method} ${site.url} failed before an answer`, { cause });
    this.name = 'GradiantNetworkError';
    this.method = site.method;
    this.url = site.url;
  }
}

/**
 * A success answer that does not match the route's response schema: the server and this SDK
 * disagree on the contract (a newer server, an older SDK, or a proxy rewriting bodies).
 */
export class GradiantResponseError extends Error {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly issues: readonly FieldProblem[];

  constructor(site: CallSite, status: number, issues: readonly FieldProblem[]) {
    super(
      `${site.method} ${site.url} answered ${status} with a body this SDK does not understand: ${issues
        .slice(0, 3)
        .map((issue) => `${issue.field} ${issue.message}`)
        .join('; ')}`,
    );
    this.name = 'GradiantResponseError';
    this.method = site.method;
    this.url = site.url;
    this.status = status;
    this.issues = issues;
  }
}
