import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DIGEST_PUBLIC_KEY_FILE } from '../../apps/local-platform/local-audit.ts';
import { LOCAL_BUCKET_NAMES } from '../../apps/local-platform/local-buckets.ts';
import { connectTenant, type E2eTenant } from '../support/e2e-tenant.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { jsonOf } from '../support/local-platform-process.ts';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../apps/cli/main.ts');

/** Reads the seeded patients, then one of them by id: a search and a read, both audited. */
const CHART_READER = `export default {
  async execute(input, api) {
    const found = await api.patients.search({});
    const patient = await api.patients.get(found[1].id);
    return { searched: found.map((p) => p.id), read: patient.id };
  },
};`;

/**
 * The privacy officer's question, end to end on the local platform: a plugin reads a patient's
 * record; the audit API answers who touched that patient, through which plugin, when and whether it
 * was allowed; the accounting of disclosures lists the plugin; the FHIR export holds the same
 * events; and `audit verify` proves the tenant's chain and its signed digests intact.
 */
describe('the audit trail of a plugin that reads patients', () => {
  let platform: InProcessPlatform;
  let acme: E2eTenant;
  let auditor: Record<string, string>;
  let readId: string;

  beforeAll(async () => {
    platform = await startLocalPlatformInProcess({ seed: true });
    acme = await connectTenant(platform, 't-acme');
    await acme.installEnabled('chart-reader', CHART_READER, { permissions: ['read:patients'] });
    const invoked = await acme.invoke('chart-reader');
    expect(invoked.status).toBe(200);
    const answer = await jsonOf(invoked);
    expect(answer.ok).toBe(true);
    readId = answer.value.read;
    await platform.settleAudit();
    auditor = { authorization: `Bearer ${await platform.token('t-acme', ['audit:read'], 'officer-1')}` };
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${platform.url}${path}`, { headers: auditor });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await jsonOf(response),
    };
  };

  it('finds the run by the patient it touched: plugin, version, operations, outcome', async () => {
    const found = await get(`/v1/audit?patientId=${readId}`);

    expect(found.status).toBe(200);
    const run = found.body.items.find((item: { action: string }) => item.action === 'plugin:invoked');
    expect(run).toMatchObject({
      outcome: 'success',
      tenantId: 't-acme',
      pluginId: 'chart-reader',
      version: '1.0.0',
      actor: 't-acme/admin-t-acme',
    });
    expect(run.dataAccess).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: 'patients.search', outcome: 'success' }),
        expect.objectContaining({ operation: 'patients.get', outcome: 'success', patientIds: [readId] }),
      ]),
    );
  });

  it('lists the plugin in the patient’s accounting of disclosures', async () => {
    const disclosures = await get(`/v1/audit/patients/${readId}/disclosures`);

    expect(disclosures.status).toBe(200);
    expect(disclosures.body.items).toEqual([
      expect.objectContaining({
        pluginId: 'chart-reader',
        version: '1.0.0',
        outcome: 'success',
        operations: expect.arrayContaining(['patients.get']),
      }),
    ]);
  });

  it('exports the same run as a FHIR AuditEvent naming the patient', async () => {
    const bundle = await get(`/v1/audit?patientId=${readId}&format=fhir`);

    expect(bundle.status).toBe(200);
    expect(bundle.type).toContain('application/fhir+json');
    expect(bundle.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const events = bundle.body.entry.map((entry: { resource: unknown }) => entry.resource);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resourceType: 'AuditEvent',
          entity: expect.arrayContaining([
            expect.objectContaining({ what: { reference: `Patient/${readId}` } }),
          ]),
        }),
      ]),
    );
  });

  it('records the API requests themselves, the officer’s reads among them', async () => {
    const requests = await get('/v1/audit?action=api:request&limit=200');

    const routes = requests.body.items.map(
      (item: { request: { routeKey: string } }) => item.request.routeKey,
    );
    expect(routes).toEqual(expect.arrayContaining(['POST /v1/plugins', 'POST /v1/plugins/{id}/invoke']));
    // The invoke's record committed with the run's settlement, once, and says how it was answered.
    const invokes = requests.body.items.filter(
      (item: { request: { routeKey: string } }) => item.request.routeKey === 'POST /v1/plugins/{id}/invoke',
    );
    expect(invokes).toEqual([
      expect.objectContaining({ outcome: 'success', request: expect.objectContaining({ status: 200 }) }),
    ]);
  });

  it('verifies the tenant’s chain and signed digests with the CLI', async () => {
    await platform.settleAudit();

    // Asynchronously: s3rver serves from this process, so a blocking spawn would starve it.
    const verified = await run(
      process.execPath,
      [
        '--no-node-snapshot',
        CLI,
        'audit',
        'verify',
        '--bucket',
        LOCAL_BUCKET_NAMES.complianceLog,
        '--tenant',
        't-acme',
        '--public-key',
        join(platform.dataDirectory, 'keys', AUDIT_DIGEST_PUBLIC_KEY_FILE),
        '--endpoint',
        platform.endpoints.s3,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );

    expect(verified.stderr).toBe('');
    const report = JSON.parse(verified.stdout.trim());
    expect(report).toMatchObject({ tenantId: 't-acme', ok: true });
    expect(report.records).toBeGreaterThan(3);
    expect(report.digests).toBeGreaterThan(0);
  }, 90_000);
});
