import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasErrorCode } from '../../../../../shared/domain/errors/domain-error.ts';
import { fhirStandInTenant } from '../../../../support/fhir-stand-in-tenant.ts';

describe('FhirEhrRepository against the FHIR stand-in (SMART Backend Services, FHIR R4)', () => {
  let tenant: Awaited<ReturnType<typeof fhirStandInTenant>>;

  beforeAll(async () => {
    tenant = await fhirStandInTenant();
  }, 60_000);

  afterAll(async () => {
    await tenant?.close();
  });

  it('pages a search through Bundle.link next up to the limit', async () => {
    const all = await tenant.repository.searchPatients(tenant.scope(), { limit: 1000 });
    const some = await tenant.repository.searchPatients(tenant.scope(), { limit: 5 });
    const byFamily = await tenant.repository.searchPatients(tenant.scope(), { family: 'McTestface' });

    expect(all).toHaveLength(12);
    expect(some).toHaveLength(5);
    expect(byFamily.length).toBeGreaterThan(0);
    expect(byFamily.every((patient) => patient.family === 'McTestface')).toBe(true);
  });

  it('answers the loser of two writers of one version EHR_CONFLICT: no update is lost', async () => {
    let outcome: { conflicts: number; written: string[] } = { conflicts: 0, written: [] };
    // Two writers read the same version and write with If-Match on it; until they overlap, retry.
    for (let round = 0; round < 10 && outcome.conflicts === 0; round++) {
      const families = [`Writer-a-${round}`, `Writer-b-${round}`];
      const settled = await Promise.allSettled(
        families.map((family) => tenant.repository.updatePatient(tenant.scope(), 'p-002', { family })),
      );
      outcome = {
        conflicts: settled.filter(
          (result) => result.status === 'rejected' && hasErrorCode(result.reason, 'EHR_CONFLICT'),
        ).length,
        written: families.filter((_, index) => settled[index]?.status === 'fulfilled'),
      };
    }
    const stored = await tenant.repository.getPatient(tenant.scope(), 'p-002');

    expect(outcome.conflicts).toBe(1);
    expect(outcome.written).toHaveLength(1);
    expect(stored?.family).toBe(outcome.written[0]);
  });

  it('retries a 429 within the deadline and answers', async () => {
    tenant.base.injectFaults({ status: 429, count: 2, retryAfterSeconds: 0, path: 'Patient/p-003' });

    const patient = await tenant.repository.getPatient(tenant.scope(), 'p-003');

    expect(patient?.id).toBe('p-003');
  });

  it('reuses its token, and refreshes it once when the EHR stops honouring it', async () => {
    await tenant.repository.getPatient(tenant.scope(), 'p-001');
    const requestsBefore = tenant.base.tokenRequests;
    await tenant.repository.getPatient(tenant.scope(), 'p-001');
    const reused = tenant.base.tokenRequests - requestsBefore;

    tenant.base.revokeTokens();
    const patient = await tenant.repository.getPatient(tenant.scope(), 'p-001');

    expect(reused).toBe(0);
    expect(patient?.id).toBe('p-001');
    expect(tenant.base.tokenRequests - requestsBefore).toBe(1);
  });
});

describe('FhirEhrRepository with short-lived tokens', () => {
  it('requests a new token once the cached one expires, without waiting for a 401', async () => {
    const tenant = await fhirStandInTenant();
    try {
      tenant.base.tokenLifetimeSeconds = 1;
      await tenant.repository.getPatient(tenant.scope(), 'p-001');
      const requestsBefore = tenant.base.tokenRequests;
      const fhirRequestsBefore = tenant.base.requests;
      await new Promise((resolve) => setTimeout(resolve, 1_200));

      const patient = await tenant.repository.getPatient(tenant.scope(), 'p-001');

      expect(patient?.id).toBe('p-001');
      expect(tenant.base.tokenRequests - requestsBefore).toBe(1);
      // One read: the expired token was replaced before the request, not after a refusal.
      expect(tenant.base.requests - fhirRequestsBefore).toBe(1);
    } finally {
      await tenant.close();
    }
  }, 60_000);
});

describe('FhirEhrRepository with a JWKS that does not hold the platform’s key', () => {
  it('is refused a token: EHR_REFUSED, and no record is read', async () => {
    const tenant = await fhirStandInTenant({ jwksOverride: () => ({ keys: [] }) });
    try {
      const refused = await tenant.repository.getPatient(tenant.scope(), 'p-001').catch((error) => error);
      expect(hasErrorCode(refused, 'EHR_REFUSED')).toBe(true);
    } finally {
      await tenant.close();
    }
  }, 60_000);
});
