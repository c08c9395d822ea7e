import type { EhrKeySetStore } from '../../../shared/adapters/jose-ehr-signing-keys.ts';
import type { EhrConnection } from '../../../shared/domain/ehr-connection.ts';
import { concurrentModification } from '../../../shared/domain/errors/lifecycle-errors.ts';
import type { TenantId } from '../../../shared/domain/identifiers.ts';
import type {
  EhrConnectionProbe,
  EhrProbeReport,
  SmartConfiguration,
} from '../../../shared/ports/ehr-connection-probe.ts';
import type { EhrConnectionRepository } from '../../../shared/ports/ehr-connection-repository.ts';
import type { EhrEndpointGuard } from '../../../shared/ports/ehr-endpoint-guard.ts';
import type { OutboxEntries } from '../../../shared/ports/outbox.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';

/** Connections in memory; a stored change commits its outbox entries to `outbox`, a refused one none. */
export class InMemoryEhrConnectionRepository implements EhrConnectionRepository {
  readonly connections = new Map<string, EhrConnection>();
  readonly outbox: InMemoryOutbox;

  constructor(outbox = new InMemoryOutbox()) {
    this.outbox = outbox;
  }

  async get(tenantId: TenantId): Promise<EhrConnection | undefined> {
    const stored = this.connections.get(tenantId);
    return stored && structuredClone(stored);
  }

  async put(
    connection: EhrConnection,
    expectedVersion: number,
    outbox: OutboxEntries,
  ): Promise<EhrConnection> {
    const current = this.connections.get(connection.tenantId)?.version ?? 0;
    if (current !== expectedVersion) throw concurrentModification('EHR connection');
    const stored = { ...structuredClone(connection), version: expectedVersion + 1 };
    this.connections.set(connection.tenantId, stored);
    this.outbox.commit(outbox);
    return structuredClone(stored);
  }
}

/** A probe that answers what the test set, and remembers what it was asked. */
export class FakeEhrConnectionProbe implements EhrConnectionProbe {
  smartConfiguration: SmartConfiguration | undefined | Error = {
    tokenEndpoint: 'https://ehr.example.org/oauth/token',
    grantTypesSupported: ['client_credentials'],
    tokenEndpointAuthSigningAlgValuesSupported: ['ES384', 'RS384'],
    scopesSupported: [],
  };
  report: EhrProbeReport | Error = {
    capabilityStatement: { ok: true, fhirVersion: '4.0.1', resources: ['Patient', 'Appointment'] },
    token: { ok: true, grantedScopes: ['system/Patient.rs'], expiresInSeconds: 300 },
  };
  readonly discovered: string[] = [];
  readonly probed: EhrConnection[] = [];

  async discover(fhirBaseUrl: string): Promise<SmartConfiguration | undefined> {
    this.discovered.push(fhirBaseUrl);
    if (this.smartConfiguration instanceof Error) throw this.smartConfiguration;
    return this.smartConfiguration;
  }

  async probe(connection: EhrConnection): Promise<EhrProbeReport> {
    this.probed.push(connection);
    if (this.report instanceof Error) throw this.report;
    return this.report;
  }
}

/** Refuses the URLs whose host is in `refusedHosts`; everything else passes. */
export class FakeEhrEndpointGuard implements EhrEndpointGuard {
  readonly refusedHosts = new Set<string>();

  async refusalOf(url: string): Promise<string | undefined> {
    return this.refusedHosts.has(new URL(url).hostname) ? 'must not be a private address' : undefined;
  }
}

/** A key-set store in memory, with the create-once semantics of CreateSecret. */
export class InMemoryEhrKeySetStore implements EhrKeySetStore {
  readonly values = new Map<string, string>();

  async read(tenantId: TenantId): Promise<string | undefined> {
    return this.values.get(tenantId);
  }

  async create(tenantId: TenantId, value: string): Promise<boolean> {
    if (this.values.has(tenantId)) return false;
    this.values.set(tenantId, value);
    return true;
  }

  async replace(tenantId: TenantId, value: string): Promise<void> {
    this.values.set(tenantId, value);
  }
}
