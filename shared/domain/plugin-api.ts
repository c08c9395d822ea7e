import type { z } from 'zod';
import type { ApiErrorCode } from '../sandbox/errors.ts';
import type { HttpInitSchema, HttpResponseSchema } from '../sandbox/operations.ts';
import type { Entry, JsonValue } from '../sandbox/schemas.ts';
import type { Appointment, NewAppointment, Patient, PatientChanges, PatientSearchCriteria } from './ehr.ts';
import type { PluginManifest, PluginManifestSchema, SUBSCRIBABLE_PLATFORM_EVENTS } from './manifest.ts';

/** What `api.http.fetch` takes and answers, as the sandbox validates them. */
export type HttpRequest = z.input<typeof HttpInitSchema>;
export type HttpResponse = z.output<typeof HttpResponseSchema>;

/**
 * The `api` object a plugin's `execute` and `onEvent` receive, as the sandbox's bootstrap builds
 * it (`shared/sandbox/bootstrap.ts`) and the platform host answers it (`platform-host.ts`):
 * arguments are the platform's own request schemas, answers its EHR records. A call the plugin
 * has no grant for rejects with an error whose `code` is one of `API_ERROR_CODES`.
 */
export interface PluginApi {
  readonly patients: {
    /** `read:patients`. Without `limit`, at most `DEFAULT_PATIENT_SEARCH_LIMIT` (50) patients; `limit` up to 1000. */
    search(criteria?: PatientSearchCriteria | null): Promise<Patient[]>;
    /** `read:patients`. Rejects with `NotFound` for an unknown id (or another tenant's). */
    get(id: string): Promise<Patient>;
    /** `write:patients`. */
    update(id: string, changes: PatientChanges): Promise<Patient>;
  };
  readonly appointments: {
    /** `write:appointments`. The EHR assigns the id; the appointment is `booked`. */
    schedule(appointment: NewAppointment): Promise<Appointment>;
    /** `write:appointments`. */
    cancel(id: string, reason?: string | null): Promise<Appointment>;
    /** `write:appointments`. Moves the start to `newTime` (ISO date-time), keeping the duration. */
    reschedule(id: string, newTime: string): Promise<Appointment>;
  };
  readonly logger: {
    info(message: string, meta?: JsonValue): void;
    error(message: string, error?: unknown): void;
  };
  readonly events: {
    /** Handles this plugin's own events emitted later in the same run. */
    on(name: string, handler: (data: JsonValue) => unknown): void;
    /** Published as `plugin-event:<plugin-id>:<name>` when the run succeeds. */
    emit(name: string, data?: JsonValue): Promise<unknown>;
  };
  /** Per tenant and plugin, within the storage quota. */
  readonly storage: {
    get(key: string): Promise<JsonValue | null>;
    set(key: string, value: JsonValue): Promise<null>;
    delete(key: string): Promise<null>;
    list(keyPrefix?: string | null): Promise<string[]>;
  };
  /** `network:<host>` for the URL's host, which the manifest must list in `networkHosts`. */
  readonly http: {
    fetch(url: string, init?: HttpRequest | null): Promise<HttpResponse>;
  };
}

/** Every method of `PluginApi`, checked against the sandbox's real `api` object in a test. */
export const PLUGIN_API_METHODS = {
  patients: ['search', 'get', 'update'],
  appointments: ['schedule', 'cancel', 'reschedule'],
  logger: ['info', 'error'],
  events: ['on', 'emit'],
  storage: ['get', 'set', 'delete', 'list'],
  http: ['fetch'],
} as const satisfies { readonly [Group in keyof PluginApi]: readonly (keyof PluginApi[Group])[] };

/** A platform event name a plugin may subscribe to (or another plugin's `plugin-event:<id>:<name>`). */
export type PlatformEventName = (typeof SUBSCRIBABLE_PLATFORM_EVENTS)[number];

/**
 * What `onEvent` receives: the delivered event (ids only in a platform event's `data`). The
 * execution function builds each delivery's input as this type (`deliver-event.ts`).
 */
export interface PluginEvent {
  readonly id: string;
  readonly name: PlatformEventName | (string & {});
  readonly time: string;
  readonly tenantId: string;
  readonly data: JsonValue;
}

/** What a plugin's module default-exports; `execute` for invocations, `onEvent` for subscribed events. */
export interface Plugin<Input = JsonValue, Output = unknown> {
  execute?(input: Input, api: PluginApi): Output | Promise<Output>;
  onEvent?(event: PluginEvent, api: PluginApi): unknown;
}

/** The error a rejected `api` call gives a plugin: `name` and `code` are the code. */
export interface PluginApiError extends Error {
  readonly code: ApiErrorCode;
}

/** `manifest.json` as an author writes it: the plugin id and version beside its metadata. */
export type Manifest = z.input<typeof PluginManifestSchema>;
/** The manifest after the platform's validation, defaults applied. */
export type { PluginManifest };
/** The default export's two functions. */
export type PluginEntry = Entry;
