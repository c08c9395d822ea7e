import { HostError, isApiErrorCode } from '../errors.ts';
import type { HttpRequestInit, HttpResponse, PluginHost, PluginStorage, QuotaWrite } from '../host.ts';
import { PluginSandbox } from '../plugin-sandbox.ts';
import type { JsonValue } from '../schemas.ts';
import type { ConsumeResult, UsageCounters } from '../usage-counters.ts';
import type { HostMethod, SupervisorMessage, WorkerMessage } from './protocol.ts';

/**
 * The worker process of `SupervisedSandbox`: a `PluginSandbox` whose host, counters and hooks all
 * live in the supervisor, reached over IPC. If untrusted code takes this process down (a V8 heap
 * abort), only the invocations running here are lost, and the supervisor answers them.
 */
const send = (message: WorkerMessage): void => {
  try {
    process.send?.(message);
  } catch {
    // The supervisor is gone; the disconnect handler ends this process.
  }
};

type Waiter = { resolve(value: unknown): void; reject(error: unknown): void };
const hostWaiters = new Map<string, Waiter>();
const consumeWaiters = new Map<number, Waiter>();
let sequence = 0;

function callHost(runId: string, method: HostMethod, args: unknown[]): Promise<unknown> {
  const callId = ++sequence;
  return new Promise((resolve, reject) => {
    hostWaiters.set(`${runId}/${callId}`, { resolve, reject });
    send({
      type: 'host',
      runId,
      callId,
      method,
      args: args.map((arg) => (arg === undefined ? null : arg)) as JsonValue[],
    });
  });
}

function remoteHost(
  runId: string,
  request: {
    hasStorage: boolean;
    hasStorageBytesUsed: boolean;
    hasStorageSetWithinQuota: boolean;
    hasFetch: boolean;
  },
): PluginHost {
  const call = <T>(method: HostMethod, ...args: unknown[]) => callHost(runId, method, args) as Promise<T>;
  const storage: PluginStorage = {
    get: (key) => call('storage.get', key),
    set: (key, value) => call('storage.set', key, value),
    delete: (key) => call('storage.delete', key),
    list: (prefix) => call('storage.list', prefix),
    ...(request.hasStorageBytesUsed ? { bytesUsed: () => call<number>('storage.bytesUsed') } : {}),
    ...(request.hasStorageSetWithinQuota
      ? {
          setWithinQuota: (key: string, value: JsonValue, quotaBytes: number) =>
            call<QuotaWrite>('storage.setWithinQuota', key, value, quotaBytes),
        }
      : {}),
  };
  return {
    patients: {
      search: (criteria) => call('patients.search', criteria),
      get: (id) => call('patients.get', id),
      update: (id, data) => call('patients.update', id, data),
    },
    appointments: {
      schedule: (appointment) => call('appointments.schedule', appointment),
      cancel: (id, reason) => call('appointments.cancel', id, reason),
      reschedule: (id, newTime) => call('appointments.reschedule', id, newTime),
    },
    ...(request.hasStorage ? { storage } : {}),
    ...(request.hasFetch
      ? { fetch: (url: string, init: HttpRequestInit) => call<HttpResponse>('fetch', url, init) }
      : {}),
  };
}

const remoteCounters: UsageCounters = {
  consume(key, amount, limit, windowMs) {
    const requestId = ++sequence;
    return new Promise<ConsumeResult>((resolve, reject) => {
      consumeWaiters.set(requestId, { resolve: resolve as (value: unknown) => void, reject });
      send({
        type: 'consume',
        requestId,
        key,
        amount,
        limit: Number.isFinite(limit) ? limit : null,
        windowMs,
      });
    });
  },
  // IPC keeps order, so the supervisor starts a refund before any later consume of this worker.
  release(key, amount, windowMs, at) {
    if (amount > 0) send({ type: 'release', key, amount, windowMs, at });
    return Promise.resolve();
  },
};

const sandbox = new PluginSandbox({
  counters: remoteCounters,
  onSecurityEvent: (event) => send({ type: 'security', event }),
  onResourceExceeded: (event) => send({ type: 'resource', event }),
  // The default catastrophic abort names the run on stderr, which the supervisor reads to blame it.
});

process.on('message', (raw: SupervisorMessage) => {
  if (raw.type === 'run') {
    const { hasStorage, hasStorageBytesUsed, hasStorageSetWithinQuota, hasFetch, ...request } = raw.request;
    sandbox
      .run({
        ...request,
        runId: raw.runId,
        host: remoteHost(raw.runId, { hasStorage, hasStorageBytesUsed, hasStorageSetWithinQuota, hasFetch }),
      })
      .then((result) => {
        send({ type: 'result', runId: raw.runId, result });
        // Calls the run left unanswered are never answered now; drop their waiters.
        for (const key of hostWaiters.keys()) if (key.startsWith(`${raw.runId}/`)) hostWaiters.delete(key);
      });
  } else if (raw.type === 'hostReply') {
    const key = `${raw.runId}/${raw.callId}`;
    const waiter = hostWaiters.get(key);
    hostWaiters.delete(key);
    if (!waiter) return;
    if (raw.ok) waiter.resolve(raw.value);
    else {
      waiter.reject(
        isApiErrorCode(raw.error.code)
          ? new HostError(raw.error.code, raw.error.message)
          : new Error('host call failed'),
      );
    }
  } else if (raw.type === 'consumeReply') {
    const waiter = consumeWaiters.get(raw.requestId);
    consumeWaiters.delete(raw.requestId);
    if ('failed' in raw) waiter?.reject(new Error('usage counters unavailable'));
    else {
      waiter?.resolve(
        raw.at === undefined
          ? { allowed: raw.allowed, observed: raw.observed }
          : { allowed: raw.allowed, observed: raw.observed, at: raw.at },
      );
    }
  }
});

process.on('disconnect', () => {
  void sandbox.dispose().finally(() => process.exit(0));
});

send({ type: 'ready' });
