import { describe, expect, it } from 'vitest';
import { DnsEhrEndpointGuard } from '../../../../../shared/adapters/egress/ehr-endpoint-guard.ts';

/** A resolver over a fixed table: no real DNS in unit tests. */
const resolverOf =
  (table: Record<string, readonly string[]>) =>
  async (hostname: string): Promise<readonly string[]> => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses;
  };

const guard = new DnsEhrEndpointGuard({
  loopbackOrigins: ['http://127.0.0.1:4010'],
  resolve: resolverOf({
    'ehr.example.org': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'rebind.example.org': ['93.184.215.14', '10.1.2.3'],
    'metadata.example.org': ['169.254.169.254'],
    'mapped.example.org': ['::ffff:127.0.0.1'],
  }),
});

describe('DnsEhrEndpointGuard', () => {
  it('allows an https URL whose name resolves only to public addresses', async () => {
    expect(await guard.refusalOf('https://ehr.example.org/fhir/R4')).toBeUndefined();
    expect(await guard.refusalOf('https://93.184.215.14/fhir')).toBeUndefined();
  });

  it('refuses plain http to a public host', async () => {
    expect(await guard.refusalOf('http://ehr.example.org/fhir')).toBe('must use https');
  });

  it.each([
    'https://127.0.0.1/fhir',
    'https://10.0.0.1/',
    'https://172.16.5.4/',
    'https://192.168.1.1/',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[fe80::1]/',
    'https://[fd00::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://[64:ff9b::a9fe:a9fe]/',
    'https://[2002:a9fe:a9fe::]/',
    'https://[fd00:ec2::254]/',
    // Encoded forms the URL parser turns into 127.0.0.1 / 169.254.169.254 before the check.
    'https://2130706433/',
    'https://0x7f.0.0.1/',
    'https://0177.0.0.1/',
    'https://127.1/',
    'https://0xa9fea9fe/',
  ])('refuses the address literal %s', async (url) => {
    expect(await guard.refusalOf(url)).toBe(
      'must not be a private, loopback, link-local or metadata address',
    );
  });

  it.each([
    'https://localhost/fhir',
    'https://api.localhost/',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://ip-10-0-0-1.ec2.internal/',
    'https://printer.local/',
    'https://router.home.arpa/',
    'https://ehr/',
    'https://LOCALHOST./',
  ])('refuses the internal name %s without asking DNS', async (url) => {
    expect(await guard.refusalOf(url)).toBe('must be a public host name');
  });

  it('refuses a name any of whose addresses is private, metadata or IPv4-mapped loopback', async () => {
    const refusal = 'must not resolve to a private, loopback, link-local or metadata address';
    expect(await guard.refusalOf('https://rebind.example.org/')).toBe(refusal);
    expect(await guard.refusalOf('https://metadata.example.org/')).toBe(refusal);
    expect(await guard.refusalOf('https://mapped.example.org/')).toBe(refusal);
  });

  it('refuses a name that does not resolve', async () => {
    expect(await guard.refusalOf('https://nowhere.example.org/')).toBe('must be a host name that resolves');
  });

  it('lets through exactly the configured loopback origins, http included', async () => {
    expect(await guard.refusalOf('http://127.0.0.1:4010/fhir/t-acme')).toBeUndefined();
    expect(await guard.refusalOf('http://127.0.0.1:4011/fhir')).toBe('must use https');
    expect(await guard.refusalOf('https://127.0.0.1:4010/fhir')).toBe(
      'must not be a private, loopback, link-local or metadata address',
    );
  });

  it('allows no loopback origin unless configured', async () => {
    const strict = new DnsEhrEndpointGuard({ resolve: resolverOf({}) });

    expect(await strict.refusalOf('http://127.0.0.1:4010/fhir')).toBe('must use https');
  });
});
