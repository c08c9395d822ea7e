import { z } from 'zod';
import { HostError } from './errors.ts';
import type { PluginHost } from './host.ts';
import { type JsonValue, ParsedJsonSchema } from './schemas.ts';

const RecordIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be an id');
const IsoDateTimeSchema = z.iso.datetime({ offset: true });
const OptionalTextSchema = z
  .string()
  .max(1_000)
  .nullish()
  .transform((value) => value ?? undefined);
const CriteriaSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(256), z.number(), z.boolean(), z.null()]))
  .refine((criteria) => Object.keys(criteria).length <= 20, 'at most 20 criteria');
const JsonObjectSchema = z.record(z.string().max(128), ParsedJsonSchema);
const AppointmentRequestSchema = z.looseObject({
  patientId: RecordIdSchema,
  start: IsoDateTimeSchema,
  end: IsoDateTimeSchema,
});
const StorageKeySchema = z.string().min(1).max(256);
const FORBIDDEN_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);
export const HttpInitSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    headers: z
      .record(z.string().min(1).max(256), z.string().max(8_192))
      .refine((headers) => Object.keys(headers).length <= 50, 'at most 50 headers')
      // The grant covers the URL's host; a Host header could aim the request elsewhere.
      .refine(
        (headers) => Object.keys(headers).every((name) => !FORBIDDEN_HEADERS.has(name.toLowerCase())),
        'must not set host, connection or other hop-by-hop headers',
      )
      .default({}),
    body: z
      .string()
      .max(1024 * 1024)
      .optional(),
  })
  .strict()
  .nullish()
  .transform((init) => init ?? { method: 'GET' as const, headers: {} });
export const HttpResponseSchema = z.object({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  body: z.string().max(5 * 1024 * 1024),
});

const MAX_URL_CHARS = 2_048;

export type CounterKind = 'databaseQueries' | 'networkCalls';

/** What an operation needs from the run besides the host: storage accounting and grants. */
export interface OperationContext {
  readonly host: PluginHost;
  /** Storage writes go through the run's quota accounting; `undefined` deletes. */
  writeStorage(key: string, value: JsonValue | undefined): Promise<void>;
}

export interface Operation {
  readonly schema: z.ZodType<readonly unknown[]>;
  readonly counter: CounterKind;
  /**
   * The grant the call needs, from the arguments as the plugin sent them (a URL's host): it is
   * checked before they are validated, so a call without the grant is denied and audited
   * whatever it passed.
   */
  permission(rawArgs: unknown): string | undefined;
  invoke(context: OperationContext, args: readonly unknown[]): Promise<unknown>;
}

function found<T>(value: T | null | undefined, what: string, id: string): T {
  if (value === null || value === undefined) throw new HostError('NotFound', `${what} ${id} not found`);
  return value;
}

function storageOf(context: OperationContext) {
  const storage = context.host.storage;
  if (!storage) throw new HostError('PermissionDenied', 'storage is not available to this plugin');
  return storage;
}

function operation<Schema extends z.ZodType<readonly unknown[]>>(definition: {
  schema: Schema;
  counter?: CounterKind;
  permission: string | ((rawArgs: unknown) => string | undefined) | undefined;
  invoke(context: OperationContext, args: z.output<Schema>): Promise<unknown>;
}): Operation {
  const { permission } = definition;
  return {
    schema: definition.schema,
    counter: definition.counter ?? 'databaseQueries',
    permission: (rawArgs) => (typeof permission === 'function' ? permission(rawArgs) : permission),
    invoke: (context, args) => definition.invoke(context, args as z.output<Schema>),
  };
}

/** A URL's host as a grant names it; undefined for anything that is not plain http(s). */
export function networkPermissionFor(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username || parsed.password) return undefined;
  return `network:${parsed.host.toLowerCase()}`;
}

export const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  [
    'patients.search',
    operation({
      schema: z.tuple([CriteriaSchema.nullish().transform((value) => value ?? {})]),
      permission: 'read:patients',
      invoke: ({ host }, [criteria]) => host.patients.search(criteria),
    }),
  ],
  [
    'patients.get',
    operation({
      schema: z.tuple([RecordIdSchema]),
      permission: 'read:patients',
      invoke: async ({ host }, [id]) => found(await host.patients.get(id), 'patient', id),
    }),
  ],
  [
    'patients.update',
    operation({
      schema: z.tuple([RecordIdSchema, JsonObjectSchema]),
      permission: 'write:patients',
      invoke: async ({ host }, [id, data]) => found(await host.patients.update(id, data), 'patient', id),
    }),
  ],
  [
    'appointments.schedule',
    operation({
      schema: z.tuple([AppointmentRequestSchema]),
      permission: 'write:appointments',
      invoke: ({ host }, [appointment]) =>
        host.appointments.schedule(appointment as Record<string, JsonValue>),
    }),
  ],
  [
    'appointments.cancel',
    operation({
      schema: z.tuple([RecordIdSchema, OptionalTextSchema]),
      permission: 'write:appointments',
      invoke: async ({ host }, [id, reason]) =>
        found(await host.appointments.cancel(id, reason), 'appointment', id),
    }),
  ],
  [
    'appointments.reschedule',
    operation({
      schema: z.tuple([RecordIdSchema, IsoDateTimeSchema]),
      permission: 'write:appointments',
      invoke: async ({ host }, [id, newTime]) =>
        found(await host.appointments.reschedule(id, newTime), 'appointment', id),
    }),
  ],
  [
    'storage.get',
    operation({
      schema: z.tuple([StorageKeySchema]),
      permission: undefined,
      invoke: async (context, [key]) => (await storageOf(context).get(key)) ?? null,
    }),
  ],
  [
    'storage.set',
    operation({
      schema: z.tuple([StorageKeySchema, ParsedJsonSchema]),
      permission: undefined,
      invoke: async (context, [key, value]) => {
        storageOf(context);
        await context.writeStorage(key, value);
        return null;
      },
    }),
  ],
  [
    'storage.delete',
    operation({
      schema: z.tuple([StorageKeySchema]),
      permission: undefined,
      invoke: async (context, [key]) => {
        storageOf(context);
        await context.writeStorage(key, undefined);
        return null;
      },
    }),
  ],
  [
    'storage.list',
    operation({
      schema: z.tuple([z.string().max(256).nullish()]),
      permission: undefined,
      invoke: (context, [prefix]) => storageOf(context).list(prefix ?? undefined),
    }),
  ],
  [
    'http.fetch',
    operation({
      schema: z.tuple([z.string().min(1).max(MAX_URL_CHARS), HttpInitSchema]),
      counter: 'networkCalls',
      permission: (rawArgs) => {
        const url = Array.isArray(rawArgs) ? rawArgs[0] : undefined;
        const host =
          typeof url === 'string' && url.length <= MAX_URL_CHARS ? networkPermissionFor(url) : undefined;
        return host ?? 'network:<invalid-url>';
      },
      invoke: async ({ host }, [url, init]) => {
        if (!host.fetch)
          throw new HostError('PermissionDenied', 'network access is not available to this plugin');
        const parsed = HttpResponseSchema.safeParse(await host.fetch(url, init));
        if (!parsed.success) throw new HostError('SandboxCrashed', 'the network response could not be read');
        return parsed.data;
      },
    }),
  ],
]);
