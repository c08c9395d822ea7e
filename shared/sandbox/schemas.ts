import { z } from 'zod';
import { SANDBOX_ERROR_CODES } from './errors.ts';
import { LimitOverridesSchema } from './limits.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * For values that were produced by `JSON.parse` (so they are JSON by construction): checking them
 * again deeply would only cost time on every bridge crossing.
 */
export const ParsedJsonSchema = z.custom<JsonValue>(() => true);

export const GRANT_PATTERN =
  /^(?:read:patients|write:patients|read:appointments|write:appointments|network:[a-z0-9.*-]+(?::\d+)?)$/;

export const GrantSchema = z.string().regex(GRANT_PATTERN, 'must be a known permission');

export const EntrySchema = z.enum(['execute', 'onEvent']);
export type Entry = z.infer<typeof EntrySchema>;

const IdentifierSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'must be letters, digits, ".", "_", "@" or "-"');

/** Everything `run()` takes except the host implementation, which is functions. */
export const RunOptionsSchema = z.object({
  code: z.string().min(1),
  entry: EntrySchema.default('execute'),
  input: ParsedJsonSchema.optional(),
  grants: z.array(GrantSchema).max(100),
  tenantId: IdentifierSchema,
  pluginId: IdentifierSchema.default('local'),
  version: z.string().min(1).max(64).default('0.0.0'),
  limits: LimitOverridesSchema.optional(),
});
export type RunOptionsData = z.infer<typeof RunOptionsSchema>;

export const LogEntrySchema = z.object({
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  meta: ParsedJsonSchema.optional(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const EmittedEventSchema = z.object({ name: z.string(), data: ParsedJsonSchema });
export type EmittedEvent = z.infer<typeof EmittedEventSchema>;

export const UsageSchema = z.object({
  wallMs: z.number().nonnegative(),
  cpuMs: z.number().nonnegative(),
  peakHeapBytes: z.number().int().nonnegative(),
  dataCalls: z.number().int().nonnegative(),
  networkCalls: z.number().int().nonnegative(),
  storageBytes: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const SandboxErrorSchema = z.object({ code: z.enum(SANDBOX_ERROR_CODES), message: z.string() });

export const RunResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    value: ParsedJsonSchema,
    usage: UsageSchema,
    logs: z.array(LogEntrySchema),
    events: z.array(EmittedEventSchema),
  }),
  z.object({
    ok: z.literal(false),
    error: SandboxErrorSchema,
    usage: UsageSchema,
    logs: z.array(LogEntrySchema),
    events: z.array(EmittedEventSchema),
  }),
]);
export type RunResult = z.infer<typeof RunResultSchema>;

export const RESOURCES = [
  'timeout',
  'memory',
  'cpu',
  'networkCalls',
  'databaseQueries',
  'storage',
  'resultSize',
  'logs',
  'events',
  'eventSize',
] as const;

/** How often one run hit the same refusal, and when first and last: one record, not one per attempt. */
const OccurrencesShape = {
  count: z.number().int().min(1),
  firstAt: z.iso.datetime(),
  lastAt: z.iso.datetime(),
};

/** Payload of the platform's `plugin:resource:exceeded` event. */
export const ResourceExceededSchema = z.object({
  pluginId: z.string(),
  version: z.string(),
  tenantId: z.string(),
  resource: z.enum(RESOURCES),
  limit: z.number(),
  observed: z.number(),
  ...OccurrencesShape,
});
export type ResourceExceeded = z.infer<typeof ResourceExceededSchema>;

/**
 * What the platform records as a security audit event; ids and names only, never data. A reserved
 * event name is reported by the platform namespace it tried (`plugin:`), not by the name itself,
 * which is plugin-chosen text.
 */
export const SecurityEventSchema = z.object({
  type: z.enum(['permission-denied', 'reserved-event-name']),
  tenantId: z.string(),
  pluginId: z.string(),
  version: z.string(),
  operation: z.string(),
  permission: z.string().optional(),
  namespace: z.string().optional(),
  ...OccurrencesShape,
});
export type SecurityEvent = z.infer<typeof SecurityEventSchema>;
