import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_CANARY_NAME } from '../../apps/local-platform/stand-ins/fhir/fault-injection.ts';
import { createPlatformHost } from '../../shared/services/execution/platform-host.ts';
import { InMemoryOutbox } from '../support/fakes/in-memory-outbox.ts';
import { fhirStandInTenant, STAND_IN_TENANT } from '../support/fhir-stand-in-tenant.ts';

/**
 * An EHR's OperationOutcome may quote the record it refused (a name, a birth date). The stand-in
 * answers each failure with one that names a synthetic patient; none of that text may reach the
 * plugin's error, whatever the status.
 */
describe('security: OperationOutcome text reaching the plugin', () => {
  let tenant: Awaited<ReturnType<typeof fhirStandInTenant>>;

  beforeAll(async () => {
    tenant = await fhirStandInTenant();
  }, 60_000);

  afterAll(async () => {
    await tenant?.close();
  });

  // Each status on a patient of its own: the stand-in keeps unused faults queued per path.
  it.each<[number, string]>([
    [400, 'p-004'],
    [403, 'p-005'],
    [409, 'p-006'],
    [412, 'p-007'],
    [422, 'p-008'],
    [429, 'p-009'],
    [500, 'p-010'],
    [503, 'p-011'],
  ])('keeps a %i answer’s text out of the error', async (status, patientId) => {
    const host = createPlatformHost(
      { tenantId: STAND_IN_TENANT, pluginId: 'prober', deadlineAt: Date.now() + 1_500 },
      {
        ehr: tenant.repository,
        outbox: new InMemoryOutbox(),
        clock: { now: () => new Date() },
        ids: { next: () => 'id-1' },
      },
    );
    tenant.base.injectFaults({ status, count: 50, retryAfterSeconds: 0, path: `Patient/${patientId}` });

    const failure = await host.patients
      .update(patientId, { family: 'Changed' })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    const text = JSON.stringify({
      message: (failure as Error).message,
      code: (failure as { code?: string }).code,
    });
    expect(text).not.toContain('Canary');
    expect(text).not.toContain(FAULT_CANARY_NAME);
  });
});
