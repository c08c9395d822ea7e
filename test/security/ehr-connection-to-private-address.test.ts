import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DnsEhrEndpointGuard } from '../../shared/adapters/egress/ehr-endpoint-guard.ts';
import { JoseEhrSigningKeys } from '../../shared/adapters/jose-ehr-signing-keys.ts';
import { TenantIdSchema } from '../../shared/domain/identifiers.ts';
import { EhrConnectionService } from '../../shared/services/ehr/ehr-connection-service.ts';
import { FakeEhrSubscriptions } from '../support/ehr-notification-harness.ts';
import {
  FakeEhrConnectionProbe,
  InMemoryEhrConnectionRepository,
  InMemoryEhrKeySetStore,
} from '../support/fakes/in-memory-ehr-connections.ts';

const acme = TenantIdSchema.parse('t-acme');

/**
 * A tenant admin (or a stolen admin token) registers an "EHR" that is really the platform's own
 * network: the metadata service, a private VPC host, a name that resolves there, or a SMART
 * configuration whose token endpoint points there. The platform would then send signed client
 * assertions and FHIR requests into its own network (SSRF). Each is refused at save, naming the
 * field, and nothing is stored and no key is made.
 */
describe('an EHR connection aimed at the platform’s own network', () => {
  const harness = () => {
    const connections = new InMemoryEhrConnectionRepository();
    const store = new InMemoryEhrKeySetStore();
    const probe = new FakeEhrConnectionProbe();
    const service = new EhrConnectionService({
      tenantId: acme,
      actorId: 'admin-1',
      connections,
      signingKeys: new JoseEhrSigningKeys(store),
      probe,
      subscriptions: new FakeEhrSubscriptions(),
      endpointGuard: new DnsEhrEndpointGuard({
        resolve: async (host) =>
          ({ 'ehr.example.org': ['93.184.215.14'], 'sneaky.example.org': ['169.254.169.254'] })[host] ?? [],
      }),
      auditTrail: {
        outbox: connections.outbox,
        ids: { next: () => randomUUID() },
        clock: { now: () => new Date() },
      },
      publicApiBaseUrl: 'https://api.example.org',
      probeTimeoutMs: 1000,
    });
    return { service, connections, store, probe };
  };
  const settings = (fhirBaseUrl: string, tokenEndpoint?: string) => ({
    fhirBaseUrl,
    clientId: 'c',
    scopes: ['system/Patient.rs'],
    signingAlgorithm: 'ES384' as const,
    ...(tokenEndpoint ? { tokenEndpoint } : {}),
  });

  it.each([
    ['https://169.254.169.254/latest', 'body.fhirBaseUrl'],
    ['https://[::ffff:169.254.169.254]/fhir', 'body.fhirBaseUrl'],
    ['https://0xa9fea9fe/fhir', 'body.fhirBaseUrl'],
    ['https://metadata.google.internal/fhir', 'body.fhirBaseUrl'],
    ['https://sneaky.example.org/fhir', 'body.fhirBaseUrl'],
    ['http://ehr.example.org/fhir', 'body.fhirBaseUrl'],
  ])('refuses %s, naming %s, and stores nothing', async (url, field) => {
    const { service, connections, store } = harness();

    await expect(
      service.put(settings(url, 'https://ehr.example.org/token'), undefined),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field,
    });
    expect([connections.connections.size, store.values.size]).toEqual([0, 0]);
  });

  it('refuses a discovered token endpoint on this machine', async () => {
    const { service, connections, probe } = harness();
    probe.smartConfiguration = {
      tokenEndpoint: 'https://localhost/token',
      grantTypesSupported: [],
      tokenEndpointAuthSigningAlgValuesSupported: [],
      scopesSupported: [],
    };

    await expect(service.put(settings('https://ehr.example.org/fhir'), undefined)).rejects.toMatchObject({
      field: 'body.tokenEndpoint',
    });
    expect(connections.connections.size).toBe(0);
  });
});
