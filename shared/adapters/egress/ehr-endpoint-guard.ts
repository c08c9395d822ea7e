import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { EhrEndpointGuard } from '../../ports/ehr-endpoint-guard.ts';
import { isPrivateAddress, unbracketed } from './private-addresses.ts';

/** Every address a name resolves to (A and AAAA); rejects when it does not resolve. */
export type ResolveHost = (hostname: string) => Promise<readonly string[]>;

export const resolveWithSystemDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Names that only ever mean this machine, this network or a cloud's metadata service, whatever
 * DNS says: `localhost` (RFC 6761), mDNS `.local`, `.internal` (GCP's metadata.google.internal,
 * AWS's *.compute.internal), `.home.arpa`, `.localdomain`, and single-label names a resolver
 * completes with its search domains.
 */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa|localdomain|intranet|lan)$/i;

export interface EhrEndpointGuardOptions {
  /**
   * Local platform only: origins (`http://127.0.0.1:4010`) let through as they are, so a tenant
   * can connect to the FHIR stand-in on this machine. A deployed config refuses the setting.
   */
  readonly loopbackOrigins?: readonly string[];
  readonly resolve?: ResolveHost;
}

/**
 * The save-time check of an EHR URL. The WHATWG parser has already normalised the host
 * (`0x7f.1`, `2130706433` and `[::ffff:127.0.0.1]` all arrive as plain addresses), so an IP
 * literal is judged by the same block list as plugin egress; a name is refused if it is an
 * internal name or if any address it resolves to is private (a rebinding name could still
 * change later: the HTTP client that reaches the EHR checks the address it connects to).
 */
export class DnsEhrEndpointGuard implements EhrEndpointGuard {
  private readonly loopbackOrigins: ReadonlySet<string>;
  private readonly resolve: ResolveHost;

  constructor(options: EhrEndpointGuardOptions = {}) {
    this.loopbackOrigins = new Set((options.loopbackOrigins ?? []).map((origin) => new URL(origin).origin));
    this.resolve = options.resolve ?? resolveWithSystemDns;
  }

  async refusalOf(value: string): Promise<string | undefined> {
    if (!URL.canParse(value)) return 'must be an absolute URL';
    const url = new URL(value);
    if (this.loopbackOrigins.has(url.origin)) return undefined;
    if (url.protocol !== 'https:') return 'must use https';
    const host = unbracketed(url.hostname).replace(/\.$/, '');
    if (isIP(host) !== 0)
      return isPrivateAddress(host)
        ? 'must not be a private, loopback, link-local or metadata address'
        : undefined;
    if (!host.includes('.') || INTERNAL_NAME.test(host)) return 'must be a public host name';
    let addresses: readonly string[];
    try {
      addresses = await this.resolve(host);
    } catch {
      return 'must be a host name that resolves';
    }
    if (addresses.length === 0) return 'must be a host name that resolves';
    if (addresses.some(isPrivateAddress))
      return 'must not resolve to a private, loopback, link-local or metadata address';
    return undefined;
  }
}
