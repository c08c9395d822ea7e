import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFhirResources } from '../../apps/local-platform/demo/demo-fhir-data.ts';
import { startLocalFhirServer } from '../../apps/local-platform/stand-ins/fhir/local-fhir-server.ts';
import { createFhirEhrAdapter } from '../../shared/adapters/fhir/create-fhir-ehr-adapter.ts';
import { createFileEhrSigningKeys } from '../../shared/adapters/local/file-ehr-signing-keys.ts';
import type { EhrConnection } from '../../shared/domain/ehr-connection.ts';
import type { TenantId } from '../../shared/domain/identifiers.ts';
import type { EhrConnectionRepository } from '../../shared/ports/ehr-connection-repository.ts';

export const STAND_IN_TENANT = 't-acme' as TenantId;
const SCOPES = ['system/Patient.rus', 'system/Appointment.crus', 'system/Subscription.crus'];

/**
 * The FHIR adapter against the FHIR stand-in, as the execution function reaches a tenant's EHR:
 * the tenant's signing key in a key directory, its public half at a loopback JWKS URL the
 * stand-in's token endpoint verifies assertions against, and one connection (in memory: the
 * connection store is not the subject of these tests).
 */
export async function fhirStandInTenant(options: { jwksOverride?: () => unknown } = {}) {
  const fhir = await startLocalFhirServer({ port: 0 });
  const base = fhir.addBase(STAND_IN_TENANT);
  await base.seed(demoFhirResources(STAND_IN_TENANT, new Date('2031-01-01T00:00:00Z')));
  const signingKeys = createFileEhrSigningKeys(mkdtempSync(join(tmpdir(), 'gradiant-fhir-keys-')));
  const keyId = await signingKeys.ensure(STAND_IN_TENANT, 'ES384');
  const jwks = createServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const published = options.jwksOverride?.() ?? { keys: await signingKeys.publicKeys(STAND_IN_TENANT) };
    response.end(JSON.stringify(published));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  base.registerClient({ clientId: 'platform-client', jwksUrl, scopes: SCOPES });
  const now = new Date().toISOString();
  const connection: EhrConnection = {
    tenantId: STAND_IN_TENANT,
    fhirBaseUrl: base.baseUrl,
    clientId: 'platform-client',
    resolvedTokenEndpoint: base.tokenEndpoint,
    scopes: SCOPES,
    signingAlgorithm: 'ES384',
    keyId,
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: 't-acme/admin',
  };
  const connections: EhrConnectionRepository = {
    get: async (tenantId) => (tenantId === STAND_IN_TENANT ? connection : undefined),
    put: async () => {
      throw new Error('read-only here');
    },
  };
  const adapter = createFhirEhrAdapter({
    connections,
    signingKeys,
    clock: { now: () => new Date() },
    allowedLoopbackOrigins: [fhir.origin],
  });
  return {
    ...adapter,
    fhir,
    base,
    connection,
    scope: (ms = 5_000) => ({ tenantId: STAND_IN_TENANT, deadlineAt: Date.now() + ms }),
    async close() {
      await new Promise<void>((resolve) => jwks.close(() => resolve()));
      await fhir.close();
    },
  };
}
