import { MAX_EVENT_DATA_CHARS, MAX_LOG_MESSAGE_CHARS, MAX_LOG_META_CHARS } from './bridge.ts';
import { PLUGIN_EVENT_PREFIX } from './event-names.ts';
import { DEFAULT_EXPORT_BINDING } from './plugin-source.ts';

/** Where the plugin script leaves its function for the bootstrap; deleted before plugin code runs. */
const PLUGIN_SLOT = '__gradiantDefinePlugin';

/** Bounds checked inside the isolate too, so oversized strings are never copied to the host. */
export const MAX_ARGUMENT_CHARS = 1024 * 1024;
export const MAX_RESULT_CHARS = 1024 * 1024;
/** Oversized logs and events are cut or refused before they cross, not after. */
const MAX_LOG_CHARS = MAX_LOG_MESSAGE_CHARS + MAX_LOG_META_CHARS + 64;

/**
 * Runs first in every fresh context, before any plugin code: it captures the intrinsics it relies
 * on (the plugin may tamper with the globals later, which only affects its own run), removes the
 * capabilities the platform does not grant, and returns the one entry point the host holds a
 * `Reference` to. The host callbacks arrive as arguments of that entry point and live only in this
 * closure, so plugin code can never reach them. Every value crosses the boundary as a JSON string.
 *
 * Host → isolate: entry(0, hostCall, record, inputJson, entryName, pluginId) starts the run and
 * resolves to '1' + resultJson or '0' + code + '\n' + message; entry(1, callId, reply) settles one
 * pending API call with '1' + valueJson or '0' + code + '\n' + message.
 * Isolate → host: hostCall(callId, method, argsJson) answers '' when the call was accepted (its
 * result comes back through entry(1)) or code + '\n' + message when refused at once; and
 * record(kind, json) for logs and events, which answers '' or code + '\n' + message synchronously.
 */
const BOOTSTRAP = `(function () {
'use strict';
const G = globalThis;
const definePlugin = G.${PLUGIN_SLOT};
delete G.${PLUGIN_SLOT};
const parse = JSON.parse;
const stringify = JSON.stringify;
const freeze = Object.freeze;
const apply = Reflect.apply;
const PromiseCtor = Promise;
const promiseResolve = PromiseCtor.resolve.bind(PromiseCtor);
const promiseReject = PromiseCtor.reject.bind(PromiseCtor);
const promiseAll = PromiseCtor.all.bind(PromiseCtor);
const MapCtor = Map;
const mapGet = Map.prototype.get;
const mapSet = Map.prototype.set;
const mapDelete = Map.prototype.delete;
const WeakSetCtor = WeakSet;
const weakAdd = WeakSet.prototype.add;
const weakHas = WeakSet.prototype.has;
const arrayPush = Array.prototype.push;
const stringSlice = String.prototype.slice;
const stringIndexOf = String.prototype.indexOf;
const stringStartsWith = String.prototype.startsWith;
const StringCtor = String;
const ErrorCtor = Error;
const MAX_ARGUMENT_CHARS = ${MAX_ARGUMENT_CHARS};
const MAX_RESULT_CHARS = ${MAX_RESULT_CHARS};
const MAX_LOG_CHARS = ${MAX_LOG_CHARS};
const MAX_LOG_MESSAGE_CHARS = ${MAX_LOG_MESSAGE_CHARS};
const MAX_EVENT_CHARS = ${MAX_EVENT_DATA_CHARS + 256};

delete G.SharedArrayBuffer;
delete G.Atomics;
delete G.WebAssembly;

let hostCall;
let record;
let ownPrefix = '';
let fullPrefix = '';
let sequence = 0;
const pending = new MapCtor();
const apiErrors = new WeakSetCtor();

class PluginApiError extends ErrorCtor {
  constructor(code, message) {
    super(message);
    this.name = code;
    this.code = code;
  }
}
const apiError = (code, message) => {
  const error = new PluginApiError(code, message);
  apply(weakAdd, apiErrors, [error]);
  return error;
};
const fromReply = (reply) => {
  const newline = apply(stringIndexOf, reply, ['\\n']);
  return apiError(apply(stringSlice, reply, [1, newline]), apply(stringSlice, reply, [newline + 1]));
};
const safeString = (value) => {
  try {
    return StringCtor(value);
  } catch {
    return '[unprintable]';
  }
};
const describe = (error) => {
  try {
    if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
      return safeString(error.name) + ': ' + safeString(error.message);
    }
  } catch {}
  return safeString(error);
};

const call = (method, args) => {
  let json;
  try {
    json = stringify(args);
  } catch {
    return promiseReject(apiError('InvalidArgument', method + ': arguments must be JSON values'));
  }
  if (json.length > MAX_ARGUMENT_CHARS) {
    return promiseReject(apiError('InvalidArgument', method + ': arguments are too large'));
  }
  return new PromiseCtor((resolve, reject) => {
    const id = ++sequence;
    const refusal = hostCall(id, method, json);
    if (refusal !== '') return reject(fromReply('0' + refusal));
    apply(mapSet, pending, [id, [resolve, reject]]);
  });
};
const settle = (id, reply) => {
  const handlers = apply(mapGet, pending, [id]);
  if (handlers === undefined) return;
  apply(mapDelete, pending, [id]);
  if (reply[0] === '1') handlers[0](parse(apply(stringSlice, reply, [1])));
  else handlers[1](fromReply(reply));
};
const recordOrThrow = (kind, json) => {
  const status = record(kind, json);
  if (status !== '') throw fromReply('0' + status);
};
const log = (level, message, meta) => {
  let json;
  try {
    json = stringify([level, safeString(message), meta === undefined ? null : meta]);
  } catch {
    json = stringify([level, safeString(message), null]);
  }
  if (json.length > MAX_LOG_CHARS) {
    json = stringify([level, apply(stringSlice, safeString(message), [0, MAX_LOG_MESSAGE_CHARS]), { truncated: true }]);
  }
  recordOrThrow('log', json);
};
const errorMeta = (error) => {
  if (error === undefined) return undefined;
  if (error !== null && typeof error === 'object') {
    try {
      return { name: safeString(error.name), message: safeString(error.message) };
    } catch {}
  }
  return { message: safeString(error) };
};
const consoleLine = (values) => {
  let line = '';
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    let text;
    if (typeof value === 'string') text = value;
    else {
      try {
        text = stringify(value);
      } catch {}
      if (text === undefined) text = safeString(value);
    }
    line += (index === 0 ? '' : ' ') + text;
  }
  return line;
};

const handlers = new MapCtor();
// The name the host publishes an event under (see event-names.ts), so in-run handlers match it.
const canonical = (name) => {
  const text = safeString(name);
  if (apply(stringStartsWith, text, [fullPrefix])) return text;
  return apply(stringStartsWith, text, [ownPrefix]) ? '${PLUGIN_EVENT_PREFIX}' + text : fullPrefix + text;
};
const on = (name, handler) => {
  if (typeof handler !== 'function') throw apiError('InvalidArgument', 'events.on: handler must be a function');
  const key = canonical(name);
  let list = apply(mapGet, handlers, [key]);
  if (list === undefined) {
    list = [];
    apply(mapSet, handlers, [key, list]);
  }
  apply(arrayPush, list, [handler]);
};
const emit = (name, data) => {
  let json;
  try {
    json = stringify([safeString(name), data === undefined ? null : data]);
  } catch {
    throw apiError('InvalidArgument', 'events.emit: data must be a JSON value');
  }
  recordOrThrow(json.length > MAX_EVENT_CHARS ? 'oversized-event' : 'event', json.length > MAX_EVENT_CHARS ? '' : json);
  const list = apply(mapGet, handlers, [canonical(name)]);
  if (list === undefined) return promiseResolve();
  const results = [];
  for (let index = 0; index < list.length; index++) {
    apply(arrayPush, results, [list[index](parse(json)[1])]);
  }
  return promiseAll(results);
};

const api = freeze({
  patients: freeze({
    search: (criteria) => call('patients.search', [criteria]),
    get: (id) => call('patients.get', [id]),
    update: (id, data) => call('patients.update', [id, data]),
  }),
  appointments: freeze({
    schedule: (appointment) => call('appointments.schedule', [appointment]),
    cancel: (id, reason) => call('appointments.cancel', [id, reason]),
    reschedule: (id, newTime) => call('appointments.reschedule', [id, newTime]),
  }),
  logger: freeze({
    info: (message, meta) => log('info', message, meta),
    error: (message, error) => log('error', message, errorMeta(error)),
  }),
  events: freeze({ on, emit }),
  storage: freeze({
    get: (key) => call('storage.get', [key]),
    set: (key, value) => call('storage.set', [key, value]),
    delete: (key) => call('storage.delete', [key]),
    list: (keyPrefix) => call('storage.list', [keyPrefix]),
  }),
  http: freeze({ fetch: (url, init) => call('http.fetch', [url, init]) }),
});
G.console = freeze({
  log: (...values) => log('info', consoleLine(values)),
  info: (...values) => log('info', consoleLine(values)),
  debug: (...values) => log('info', consoleLine(values)),
  warn: (...values) => log('warn', consoleLine(values)),
  error: (...values) => log('error', consoleLine(values)),
});

const start = async (entryName, inputJson) => {
  let value;
  try {
    const plugin = await definePlugin();
    const handler = plugin === null || plugin === undefined ? undefined : plugin[entryName];
    if (typeof handler !== 'function') return '0PluginError\\nplugin has no ' + entryName + ' function in its default export';
    value = await apply(handler, plugin, [parse(inputJson), api]);
  } catch (error) {
    if (error !== null && typeof error === 'object' && apply(weakHas, apiErrors, [error])) {
      return '0' + error.code + '\\n' + safeString(error.message);
    }
    return '0PluginError\\n' + describe(error);
  }
  let json;
  try {
    json = stringify(value === undefined ? null : value);
  } catch (error) {
    return '0PluginError\\nresult is not a JSON value: ' + describe(error);
  }
  if (json === undefined) json = 'null';
  if (json.length > MAX_RESULT_CHARS) return '0QuotaExceeded\\nresult exceeds 1 MiB';
  return '1' + json;
};

return function entry(operation, first, second, third, fourth, fifth) {
  if (operation === 1) return settle(first, second);
  hostCall = first;
  record = second;
  ownPrefix = fifth + ':';
  fullPrefix = '${PLUGIN_EVENT_PREFIX}' + ownPrefix;
  return start(fourth, third);
};
})();`;

export const BOOTSTRAP_SOURCE = BOOTSTRAP;

export interface PluginScript {
  readonly source: string;
  /** Makes line numbers in the plugin's own stack traces match its file. */
  readonly lineOffset: number;
}

const AsyncFunction = (async () => {}).constructor as new (body: string) => unknown;

/**
 * The plugin script only defines one function and parks it where the bootstrap, run next in the
 * same context, takes it (and deletes it) before any plugin code runs. The body is first parsed
 * on its own as a function body, so source such as `}); evil(); (function () {` cannot close the
 * wrapper early and run code at the top level. Parsing compiles nothing that ever runs here.
 */
export function buildPluginScript(
  pluginBody: string,
): { ok: true; script: PluginScript } | { ok: false; message: string } {
  const functionBody = `'use strict'; let ${DEFAULT_EXPORT_BINDING};\n${pluginBody}\n;return ${DEFAULT_EXPORT_BINDING};`;
  try {
    new AsyncFunction(functionBody);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'syntax error';
    return { ok: false, message: `plugin is not a valid ES module: ${message.split('\n', 1)[0]}` };
  }
  return {
    ok: true,
    script: {
      // `void 0` last: a function as the completion value would come back as a Reference that
      // pins the whole context in the isolate.
      source: `globalThis.${PLUGIN_SLOT} = async function () { ${functionBody} };\nvoid 0;`,
      lineOffset: -1,
    },
  };
}
