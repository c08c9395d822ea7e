import { type TenantId, TenantIdSchema } from '../../../shared/domain/identifiers.ts';
import type { LocalFhirServer } from '../stand-ins/fhir/local-fhir-server.ts';
import { demoFhirResources } from './demo-fhir-data.ts';

export const DEMO_TENANTS = ['t-acme', 't-globex'].map((id) => TenantIdSchema.parse(id));

/** What each demo tenant asks of its EHR: everything the plugin API can do with patients and appointments. */
export const DEMO_EHR_SCOPES = ['system/Patient.rus', 'system/Appointment.crus', 'system/Subscription.crus'];

const demoClientId = (tenantId: TenantId) => `gradiant-plugins-${tenantId}`;

/**
 * Each demo tenant's own FHIR server base on the stand-in, seeded with its synthetic patients and
 * appointments. The stand-in keeps them in memory: every start begins from the same demo data.
 */
export async function seedDemoEhr(fhir: LocalFhirServer, now: Date): Promise<void> {
  for (const tenantId of DEMO_TENANTS) await fhir.addBase(tenantId).seed(demoFhirResources(tenantId, now));
}

/**
 * Connects each demo tenant to its FHIR base the way a hospital's admin would, over the platform's
 * own HTTP API: register the connection (the token endpoint discovered from the server's SMART
 * configuration), register the platform's client and JWKS URL with the EHR (the stand-in's admin
 * side, as the hospital does in its EHR), then run the connection test, which requests a token
 * with a signed assertion and creates the rest-hook subscriptions. Runs at every start: the
 * stand-in forgets its clients and subscriptions when it stops.
 */
export async function connectDemoTenants(options: {
  platformUrl: string;
  fhir: LocalFhirServer;
  tokenFor: (tenantId: TenantId) => Promise<string>;
}): Promise<void> {
  for (const tenantId of DEMO_TENANTS) {
    const base = options.fhir.base(tenantId);
    if (!base) throw new Error(`the FHIR stand-in has no base for ${tenantId}`);
    const headers = {
      authorization: `Bearer ${await options.tokenFor(tenantId)}`,
      'content-type': 'application/json',
    };
    const url = `${options.platformUrl}/v1/tenant/ehr-connection`;
    const current = await fetch(url, { headers });
    const etag = current.ok ? current.headers.get('etag') : null;
    await current.body?.cancel();
    const saved = await fetch(url, {
      method: 'PUT',
      headers: { ...headers, ...(etag ? { 'if-match': etag } : {}) },
      body: JSON.stringify({
        fhirBaseUrl: base.baseUrl,
        clientId: demoClientId(tenantId),
        scopes: DEMO_EHR_SCOPES,
        signingAlgorithm: 'ES384',
      }),
    });
    if (!saved.ok)
      throw new Error(`demo EHR connection of ${tenantId}: ${saved.status} ${await saved.text()}`);
    const view = (await saved.json()) as { jwksUrl: string };
    base.registerClient({ clientId: demoClientId(tenantId), jwksUrl: view.jwksUrl, scopes: DEMO_EHR_SCOPES });
    const tested = await fetch(`${url}/test`, { method: 'POST', headers });
    const report = (await tested.json()) as { ok?: boolean };
    if (!tested.ok || report.ok !== true) {
      throw new Error(`demo EHR connection test of ${tenantId}: ${tested.status} ${JSON.stringify(report)}`);
    }
  }
}
