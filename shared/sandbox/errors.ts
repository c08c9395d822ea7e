/**
 * The error codes a run can end with. They are a public contract (the HTTP API maps them to its
 * own problem codes), so they never change once shipped.
 */
export const SANDBOX_ERROR_CODES = [
  'TimeoutExceeded',
  'MemoryLimitExceeded',
  'CpuBudgetExceeded',
  'RateLimited',
  'QuotaExceeded',
  'PermissionDenied',
  'NotFound',
  'PluginError',
  'SandboxCrashed',
  'InvalidArgument',
  'Unavailable',
  'Conflict',
  'NotConnected',
] as const;
export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODES)[number];

/** Codes a plugin API call may throw inside the sandbox (and end the run with when uncaught). */
export const API_ERROR_CODES = [
  'PermissionDenied',
  'NotFound',
  'RateLimited',
  'QuotaExceeded',
  'InvalidArgument',
  'SandboxCrashed',
  // The platform could not record what the call did (a write's data event) after its retries: the
  // write stands, the plugin learns its event was not recorded and may retry or report it.
  'Unavailable',
  // The record changed in the EHR since the plugin's call read it: read it again and retry.
  'Conflict',
  // The tenant has registered no EHR connection: data calls cannot be served at all.
  'NotConnected',
] as const satisfies readonly SandboxErrorCode[];
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

const apiCodeSet: ReadonlySet<string> = new Set(API_ERROR_CODES);

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && apiCodeSet.has(value);
}

export interface SandboxError {
  readonly code: SandboxErrorCode;
  readonly message: string;
}

/**
 * What a `host` implementation throws to fail one API call with a typed code, e.g.
 * `throw new HostError('NotFound', 'patient not found')`. Its message reaches the plugin and the
 * caller, so it must hold ids at most, never record contents. Any other thrown value is treated
 * as a host failure and reaches the plugin as a generic `SandboxCrashed` error.
 */
export class HostError extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HostError';
    this.code = code;
  }
}

const MAX_MESSAGE_LENGTH = 500;

export function boundMessage(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}

/**
 * For messages written on the host side (a `HostError` from the platform's data layer): defence
 * in depth against a stack trace or file path slipping through to a plugin or caller.
 */
export function sanitizeHostMessage(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? '';
  return boundMessage(
    firstLine.replace(/file:\/\/\S+/g, '<path>').replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@-]+){3,}/g, '<path>'),
  );
}

export function sandboxError(code: SandboxErrorCode, message: string): SandboxError {
  return { code, message: boundMessage(message) };
}
