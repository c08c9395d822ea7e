import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges a plugin may never reach, whatever host name resolves to them: "this" network,
 * private networks, carrier-grade NAT, loopback, link-local (the instance metadata service at
 * 169.254.169.254), IETF protocol assignments, documentation and benchmarking ranges, multicast,
 * reserved and broadcast.
 */
const PRIVATE_IPV4: readonly (readonly [network: string, prefix: number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/** IPv6 ranges that are private or special in their own right. */
const PRIVATE_IPV6: readonly (readonly [network: string, prefix: number])[] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form (`::7f00:1`): no host uses it
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: the IPv4 client address is obfuscated, so the tunnel is refused whole
  ['2001:db8::', 32], // documentation
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): only ever translates to the operator's own network
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

/**
 * IPv6 forms that carry an IPv4 address in known bits and reach that IPv4 host (or its network):
 * `::ffff:a.b.c.d` (IPv4-mapped, what a dual-stack socket connects to), `::ffff:0:a.b.c.d`
 * (IPv4-translated, SIIT), `64:ff9b::a.b.c.d` (well-known NAT64 prefix, RFC 6052) and `2002:aabb:ccdd::/48` (6to4, RFC
 * 3056). Each is judged on its embedded IPv4 address: the private IPv4 ranges are added again
 * inside each form, so `::ffff:7f00:1`, `::ffff:169.254.169.254`, `64:ff9b::a9fe:a9fe` and
 * `2002:a9fe:a9fe::` are refused while a public host reached through NAT64 is not.
 */
const EMBEDDING_FORMS: readonly { readonly prefix: string; readonly bitOffset: number }[] = [
  { prefix: '::ffff:', bitOffset: 96 },
  { prefix: '::ffff:0:', bitOffset: 96 },
  { prefix: '64:ff9b::', bitOffset: 96 },
  { prefix: '2002:', bitOffset: 16 },
];

const hextets = (network: string): [string, string] => {
  const [a = 0, b = 0, c = 0, d = 0] = network.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
};

/** The IPv6 network that embeds an IPv4 network at the form's offset (only 96 and 16 occur). */
function embedded(form: (typeof EMBEDDING_FORMS)[number], network: string): string {
  const [high, low] = hextets(network);
  return form.bitOffset === 96 ? `${form.prefix}${high}:${low}` : `${form.prefix}${high}:${low}::`;
}

const BLOCKED = new BlockList();
for (const [network, prefix] of PRIVATE_IPV4) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
  for (const form of EMBEDDING_FORMS) {
    BLOCKED.addSubnet(embedded(form, network), form.bitOffset + prefix, 'ipv6');
  }
}
for (const [network, prefix] of PRIVATE_IPV6) BLOCKED.addSubnet(network, prefix, 'ipv6');

/** Strips the brackets a URL puts around an IPv6 literal (`new URL(...).hostname`). */
export function unbracketed(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * True for any address a plugin must not reach, and for anything that is not an address at all
 * (fail closed). BlockList parses every textual form itself (compressed, expanded, upper case,
 * dotted tail), so no address is normalised by hand here; a zone id (`fe80::1%eth0`) is refused.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = unbracketed(address.trim());
  const family = isIP(bare);
  if (family === 0 || bare.includes('%')) return true;
  try {
    return BLOCKED.check(bare, family === 6 ? 'ipv6' : 'ipv4');
  } catch {
    return true;
  }
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:7f00:0', 104, 'ipv6');

/** True for 127.0.0.0/8, `::1` and their IPv4-mapped form only; anything unparsable is not loopback. */
export function isLoopbackAddress(address: string): boolean {
  const bare = unbracketed(address.trim());
  const family = isIP(bare);
  if (family === 0 || bare.includes('%')) return false;
  try {
    return LOOPBACK.check(bare, family === 6 ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}
