import { z } from 'zod';
import { API_ERROR_CODES } from '../errors.ts';
import {
  ParsedJsonSchema,
  ResourceExceededSchema,
  RunResultSchema,
  SecurityEventSchema,
} from '../schemas.ts';

/**
 * IPC between the supervisor and its worker process. The worker runs untrusted code, so the
 * supervisor validates everything the worker sends and only ever calls an allowlisted host method.
 */
export const HOST_METHODS = [
  'patients.search',
  'patients.get',
  'patients.update',
  'appointments.schedule',
  'appointments.cancel',
  'appointments.reschedule',
  'storage.get',
  'storage.set',
  'storage.delete',
  'storage.list',
  'storage.bytesUsed',
  'storage.setWithinQuota',
  'fetch',
] as const;
export type HostMethod = (typeof HOST_METHODS)[number];

export const HostErrorPayloadSchema = z.object({
  code: z.enum(API_ERROR_CODES),
  message: z.string().max(1_000),
});

export const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('result'), runId: z.string(), result: RunResultSchema }),
  z.object({
    type: z.literal('host'),
    runId: z.string(),
    callId: z.number().int(),
    method: z.enum(HOST_METHODS),
    args: z.array(ParsedJsonSchema).max(4),
  }),
  z.object({
    type: z.literal('consume'),
    requestId: z.number().int(),
    key: z.string().max(512),
    amount: z.number(),
    limit: z.number().nullable(),
    windowMs: z.number().int().positive(),
  }),
  z.object({
    type: z.literal('release'),
    key: z.string().max(512),
    amount: z.number().positive(),
    windowMs: z.number().int().positive(),
    at: z.number(),
  }),
  z.object({ type: z.literal('security'), event: SecurityEventSchema }),
  z.object({ type: z.literal('resource'), event: ResourceExceededSchema }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessageSchema>;

export type SupervisorMessage =
  | { type: 'run'; runId: string; request: WorkerRunRequest }
  | { type: 'hostReply'; runId: string; callId: number; ok: true; value: unknown }
  | {
      type: 'hostReply';
      runId: string;
      callId: number;
      ok: false;
      error: z.infer<typeof HostErrorPayloadSchema>;
    }
  | { type: 'consumeReply'; requestId: number; allowed: boolean; observed: number; at?: number }
  | { type: 'consumeReply'; requestId: number; failed: true };

export interface WorkerRunRequest {
  code: string;
  entry?: 'execute' | 'onEvent';
  input?: unknown;
  grants: readonly string[];
  tenantId: string;
  pluginId?: string;
  version?: string;
  limits?: Record<string, number>;
  hasStorage: boolean;
  hasStorageBytesUsed: boolean;
  hasStorageSetWithinQuota: boolean;
  hasFetch: boolean;
}
