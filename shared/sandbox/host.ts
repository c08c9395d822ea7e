import type { JsonValue } from './schemas.ts';

type Json = JsonValue;
type JsonObject = { [key: string]: JsonValue };

/**
 * The data side of the plugin API for one tenant, implemented by the platform (DynamoDB) or by a
 * test fake. Every argument is a fresh copy parsed from JSON and every answer is copied before the
 * plugin sees it, so implementations may keep or mutate what they receive. "Not found" is
 * `undefined`/`null` (the plugin then gets a `NotFound` error); records of another tenant must
 * look exactly like records that do not exist. Throw `HostError` for other typed failures.
 */
export interface PluginHost {
  readonly patients: {
    search(criteria: JsonObject): Promise<Json[]>;
    get(id: string): Promise<Json | null | undefined>;
    update(id: string, data: JsonObject): Promise<Json | null | undefined>;
  };
  readonly appointments: {
    schedule(appointment: JsonObject): Promise<Json>;
    cancel(id: string, reason: string | undefined): Promise<Json | null | undefined>;
    reschedule(id: string, newTime: string): Promise<Json | null | undefined>;
  };
  /** Per tenant and plugin. Without it, storage calls fail with `PermissionDenied`. */
  readonly storage?: PluginStorage;
  /** Without it, `http.fetch` fails with `PermissionDenied` whatever the grants. */
  readonly fetch?: (url: string, init: HttpRequestInit) => Promise<HttpResponse>;
}

export interface PluginStorage {
  get(key: string): Promise<Json | null | undefined>;
  set(key: string, value: Json): Promise<void>;
  delete(key: string): Promise<void>;
  list(prefix: string | undefined): Promise<string[]>;
  /**
   * Bytes in use (keys plus JSON values, UTF-8) for this tenant and plugin. Optional: without it
   * the sandbox sums `list` and `get` once per run, which is fine for fakes but not for a store.
   */
  bytesUsed?(): Promise<number>;
  /**
   * Stores `key` only if this tenant and plugin's bytes in use stay within `quotaBytes` after the
   * write (one that does not grow the entry always passes), checked and applied atomically by the
   * store, and answers the change in bytes in use. The sandbox calls it instead of `set` when it
   * exists, so concurrent runs on any number of instances cannot together pass the quota. Without
   * it the sandbox checks its own view of the usage, which holds for one writer at a time only.
   */
  setWithinQuota?(key: string, value: Json, quotaBytes: number): Promise<QuotaWrite>;
}

/** `bytesUsed` is the usage the refused write was checked against; `deltaBytes` what it would add. */
export type QuotaWrite =
  | { readonly isStored: true; readonly deltaBytes: number }
  | { readonly isStored: false; readonly deltaBytes: number; readonly bytesUsed: number };

export interface HttpRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Shape check for the one argument of `run()` that zod cannot describe: functions. */
export function isPluginHost(host: unknown): host is PluginHost {
  if (typeof host !== 'object' || host === null) return false;
  const { patients, appointments } = host as Partial<PluginHost>;
  return (
    typeof patients === 'object' &&
    patients !== null &&
    typeof appointments === 'object' &&
    appointments !== null
  );
}
