import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { HostError } from '../../sandbox/errors.ts';
import type { HttpRequestInit, HttpResponse } from '../../sandbox/host.ts';
import { isLoopbackAddress, isPrivateAddress, unbracketed } from './private-addresses.ts';

export interface EgressOptions {
  /** Cap on a response body; larger ones fail the call instead of filling the host's memory. */
  readonly maxResponseBytes: number;
  /** Per call; the sandbox's own timeout still bounds the whole run. */
  readonly timeoutMs: number;
  /** Tests and the local platform only: reach loopback and private networks, and plain http. */
  readonly allowPrivateNetwork?: boolean;
  /**
   * Origins (`http://127.0.0.1:8103`) whose loopback addresses, and plain http, are allowed while
   * every other private address stays refused: the local platform's own FHIR stand-in, which the
   * EHR adapter must reach without opening the whole private network.
   */
  readonly allowedLoopbackOrigins?: readonly string[] | undefined;
  /** The resolver whose answers are judged; `dns.lookup` unless a test plays a hostile DNS server. */
  readonly resolve?: typeof dnsLookup;
}

export type PluginFetch = (url: string, init: HttpRequestInit) => Promise<HttpResponse>;

const TIMED_OUT = 'the network call timed out';

/** Why a guarded call got no answer, for callers that are not plugins (webhook deliveries). */
export type EgressFailure = 'denied' | 'timeout' | 'too-large' | 'failed';

export function egressFailureOf(error: unknown): EgressFailure {
  if (!(error instanceof HostError)) return 'failed';
  if (error.code === 'PermissionDenied') return 'denied';
  if (error.code === 'QuotaExceeded') return 'too-large';
  return error.message === TIMED_OUT ? 'timeout' : 'failed';
}

/**
 * Outbound HTTP for plugins. The sandbox has already checked the `network:<host>` grant; this adds
 * what a grant cannot express: https only, no address in a private or metadata range (checked on
 * the address actually connected to, so DNS rebinding cannot slip past), no redirects followed (a
 * 3xx goes back to the plugin, whose next call is checked against its grants again), a time limit
 * and a response size limit.
 */
export function createGuardedFetch(options: EgressOptions): PluginFetch {
  const resolve = options.resolve ?? dnsLookup;
  const lookupFor =
    (isLoopbackAllowed: boolean): LookupFunction =>
    (hostname, lookupOptions, callback) => {
      resolve(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 0);
        const allowed = addresses.filter(
          (entry) =>
            options.allowPrivateNetwork ||
            !isPrivateAddress(entry.address) ||
            (isLoopbackAllowed && isLoopbackAddress(entry.address)),
        );
        const chosen = allowed[0];
        if (!chosen) {
          return callback(
            Object.assign(new Error('address not allowed'), { code: 'EADDRNOTALLOWED' }),
            '',
            0,
          );
        }
        if (lookupOptions.all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
        callback(null, chosen.address, chosen.family);
      });
    };

  return (url, init) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const target = new URL(url);
      const isHttps = target.protocol === 'https:';
      const isLoopbackAllowed = options.allowedLoopbackOrigins?.includes(target.origin) ?? false;
      const isPlainHttpAllowed = options.allowPrivateNetwork || isLoopbackAllowed;
      if (!isHttps && !(isPlainHttpAllowed && target.protocol === 'http:')) {
        return reject(new HostError('PermissionDenied', 'plugins may only call https URLs'));
      }
      const isAllowedLoopbackLiteral = isLoopbackAllowed && isLoopbackHostname(target.hostname);
      if (!options.allowPrivateNetwork && !isAllowedLoopbackLiteral && isLiteralPrivate(target.hostname)) {
        return reject(new HostError('PermissionDenied', 'that address is not reachable from plugins'));
      }
      const send = isHttps ? httpsRequest : httpRequest;
      const outgoing = send(
        target,
        {
          method: init.method,
          headers: init.headers,
          lookup: lookupFor(isLoopbackAllowed),
          timeout: options.timeoutMs,
          signal: AbortSignal.timeout(options.timeoutMs),
        },
        (response) => collect(response, options.maxResponseBytes).then(resolve, reject),
      );
      outgoing.on('timeout', () => outgoing.destroy(new HostError('SandboxCrashed', TIMED_OUT)));
      outgoing.on('error', (error: NodeJS.ErrnoException) => reject(toHostError(error)));
      if (init.body !== undefined) outgoing.write(init.body);
      outgoing.end();
    });
}

/**
 * A URL naming an address connects without a lookup, so the literal is judged here. The WHATWG
 * parser has already normalised it (`[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`, `2130706433` →
 * `127.0.0.1`); anything that looks numeric but is not a valid address is refused.
 */
function isLiteralPrivate(hostname: string): boolean {
  const bare = unbracketed(hostname).toLowerCase();
  if (isIP(bare) !== 0 || /^[\d.]+$/.test(bare) || bare.includes(':')) return isPrivateAddress(bare);
  return bare === 'localhost' || bare.endsWith('.localhost');
}

/** `localhost` or a loopback literal, for an origin allowed to be reached on loopback. */
function isLoopbackHostname(hostname: string): boolean {
  const bare = unbracketed(hostname).toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || isLoopbackAddress(bare);
}

function collect(response: IncomingMessage, maxBytes: number): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        reject(new HostError('QuotaExceeded', `the response exceeds ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', (error) => reject(toHostError(error)));
    response.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      resolve({ status: response.statusCode ?? 502, headers, body: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** Network failures reach the plugin as typed errors that name no internal address. */
function toHostError(error: NodeJS.ErrnoException): HostError {
  if (error instanceof HostError) return error;
  if (error.code === 'EADDRNOTALLOWED') {
    return new HostError('PermissionDenied', 'that host resolves to an address plugins may not reach');
  }
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return new HostError('SandboxCrashed', TIMED_OUT);
  }
  return new HostError('SandboxCrashed', 'the network call failed');
}
