import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JoseEhrSigningKeys } from '../../../../../shared/adapters/jose-ehr-signing-keys.ts';
import type { EhrConnectionSettings } from '../../../../../shared/domain/ehr-connection.ts';
import { ehrUnavailable } from '../../../../../shared/domain/errors/ehr-errors.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { EhrConnectionService } from '../../../../../shared/services/ehr/ehr-connection-service.ts';
import { FakeEhrSubscriptions } from '../../../../support/ehr-notification-harness.ts';
import {
  FakeEhrConnectionProbe,
  FakeEhrEndpointGuard,
  InMemoryEhrConnectionRepository,
  InMemoryEhrKeySetStore,
} from '../../../../support/fakes/in-memory-ehr-connections.ts';
import { InMemoryOutbox } from '../../../../support/fakes/in-memory-outbox.ts';

const acme = TenantIdSchema.parse('t-acme');

const settings = (overrides: Partial<EhrConnectionSettings> = {}): EhrConnectionSettings => ({
  fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
  clientId: 'gradiant-acme',
  tokenEndpoint: 'https://ehr.example.org/oauth/token',
  scopes: ['system/Patient.rs', 'system/Appointment.cruds'],
  signingAlgorithm: 'ES384',
  ...overrides,
});

function harness() {
  const outbox = new InMemoryOutbox();
  const connections = new InMemoryEhrConnectionRepository(outbox);
  const probe = new FakeEhrConnectionProbe();
  const subscriptions = new FakeEhrSubscriptions();
  const endpointGuard = new FakeEhrEndpointGuard();
  const signingKeys = new JoseEhrSigningKeys(new InMemoryEhrKeySetStore());
  const service = new EhrConnectionService({
    tenantId: acme,
    actorId: 'admin-1',
    requestId: 'req-1',
    connections,
    signingKeys,
    probe,
    subscriptions,
    endpointGuard,
    auditTrail: {
      outbox,
      ids: { next: () => randomUUID() },
      clock: { now: () => new Date('2026-12-02T10:00:00Z') },
    },
    publicApiBaseUrl: 'https://api.example.org/',
    probeTimeoutMs: 5000,
  });
  return { outbox, connections, probe, subscriptions, endpointGuard, signingKeys, service };
}

describe('EhrConnectionService', () => {
  it('registers a first connection without If-Match, with its key id and absolute JWKS URL', async () => {
    const { service, signingKeys, outbox } = harness();

    const { view, isCreated } = await service.put(settings(), undefined);

    expect(isCreated).toBe(true);
    expect(view).toMatchObject({
      tenantId: 't-acme',
      version: 1,
      resolvedTokenEndpoint: 'https://ehr.example.org/oauth/token',
      jwksUrl: 'https://api.example.org/v1/tenants/t-acme/ehr-connection/jwks.json',
    });
    expect((await signingKeys.publicKeys(acme)).map((key) => key.kid)).toEqual([view.keyId]);
    expect(outbox.records).toEqual([
      expect.objectContaining({ action: 'ehr-connection:updated', outcome: 'success', keyId: view.keyId }),
    ]);
  });

  it('requires If-Match to replace an existing connection, and refuses a stale one', async () => {
    const { service } = harness();
    await service.put(settings(), undefined);

    await expect(service.put(settings({ clientId: 'other' }), undefined)).rejects.toMatchObject({
      code: 'PRECONDITION_REQUIRED',
    });
    await expect(service.put(settings({ clientId: 'other' }), 7)).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    const { view, isCreated } = await service.put(settings({ clientId: 'other' }), 1);
    expect([isCreated, view.version, view.clientId]).toEqual([false, 2, 'other']);
  });

  it('refuses If-Match when there is nothing to match (RFC 9110)', async () => {
    const { service } = harness();

    await expect(service.put(settings(), '*')).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('names the field whose URL the endpoint guard refuses, and audits the refusal', async () => {
    const { service, endpointGuard, outbox, connections } = harness();
    endpointGuard.refusedHosts.add('ehr.example.org');

    await expect(service.put(settings(), undefined)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'body.fhirBaseUrl',
    });
    expect(connections.connections.size).toBe(0);
    expect(outbox.records).toEqual([
      expect.objectContaining({
        action: 'ehr-connection:updated',
        outcome: 'refused',
        code: 'VALIDATION_FAILED',
      }),
    ]);
  });

  it('refuses a token endpoint the guard refuses', async () => {
    const { service, endpointGuard } = harness();
    endpointGuard.refusedHosts.add('169.254.169.254');

    await expect(
      service.put(settings({ tokenEndpoint: 'https://169.254.169.254/token' }), undefined),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'body.tokenEndpoint' });
  });

  it('discovers the token endpoint when none is given', async () => {
    const { service, probe } = harness();

    const { view } = await service.put(settings({ tokenEndpoint: undefined }), undefined);

    expect(probe.discovered).toEqual(['https://ehr.example.org/fhir/R4']);
    expect(view.resolvedTokenEndpoint).toBe('https://ehr.example.org/oauth/token');
    expect(view.tokenEndpoint).toBeUndefined();
  });

  it('refuses a discovered token endpoint at a private address (a hostile SMART configuration)', async () => {
    const { service, probe, endpointGuard } = harness();
    probe.smartConfiguration = {
      tokenEndpoint: 'https://10.0.0.5/token',
      grantTypesSupported: [],
      tokenEndpointAuthSigningAlgValuesSupported: [],
      scopesSupported: [],
    };
    endpointGuard.refusedHosts.add('10.0.0.5');

    await expect(service.put(settings({ tokenEndpoint: undefined }), undefined)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'body.tokenEndpoint',
    });
  });

  it('asks for the token endpoint when the server publishes no SMART configuration', async () => {
    const { service, probe } = harness();
    probe.smartConfiguration = undefined;

    await expect(service.put(settings({ tokenEndpoint: undefined }), undefined)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'body.tokenEndpoint',
    });
  });

  it('passes on EHR_UNAVAILABLE when discovery cannot reach the EHR', async () => {
    const { service, probe } = harness();
    probe.smartConfiguration = ehrUnavailable('timed out');

    await expect(service.put(settings({ tokenEndpoint: undefined }), undefined)).rejects.toMatchObject({
      code: 'EHR_UNAVAILABLE',
    });
  });

  it('answers EHR_CONNECTION_NOT_FOUND for a tenant without a connection, on read and on test', async () => {
    const { service } = harness();

    await expect(service.get()).rejects.toMatchObject({ code: 'EHR_CONNECTION_NOT_FOUND' });
    await expect(service.test()).rejects.toMatchObject({ code: 'EHR_CONNECTION_NOT_FOUND' });
  });

  it('reports each check of the test and whether all passed', async () => {
    const { service, probe } = harness();
    await service.put(settings(), undefined);
    probe.report = {
      capabilityStatement: { ok: true, fhirVersion: '4.0.1' },
      token: { ok: false, reason: 'HTTP 401' },
    };

    const report = await service.test();

    expect(report).toEqual({
      ok: false,
      capabilityStatement: { ok: true, fhirVersion: '4.0.1' },
      token: { ok: false, reason: 'HTTP 401' },
      subscriptions: { ok: false, reason: 'skipped: no token was granted' },
    });
    expect(probe.probed.map((connection) => connection.tenantId)).toEqual(['t-acme']);
  });

  it('subscribes once a token is granted, and keeps only the secret’s hash on the connection', async () => {
    const { service, probe, subscriptions, connections } = harness();
    await service.put(settings(), undefined);
    probe.report = { capabilityStatement: { ok: true, fhirVersion: '4.0.1' }, token: { ok: true } };

    const report = await service.test();

    expect(report).toMatchObject({ ok: true, subscriptions: { ok: true } });
    expect(subscriptions.hooks).toHaveLength(1);
    const stored = await connections.get(acme);
    expect(stored?.subscription).toMatchObject({ state: 'active' });
    expect(JSON.stringify(stored)).not.toContain(subscriptions.hooks[0]?.secret ?? 'no secret');
  });

  it('keeps the same key when the connection is replaced, and adds one for a new algorithm', async () => {
    const { service, signingKeys } = harness();
    const first = (await service.put(settings(), undefined)).view;

    const same = (await service.put(settings({ clientId: 'x' }), 1)).view;
    const rsa = (await service.put(settings({ signingAlgorithm: 'RS384' }), 2)).view;

    expect(same.keyId).toBe(first.keyId);
    expect(rsa.keyId).not.toBe(first.keyId);
    expect((await signingKeys.publicKeys(acme)).map((key) => key.alg)).toEqual(['ES384', 'RS384']);
  });
});
