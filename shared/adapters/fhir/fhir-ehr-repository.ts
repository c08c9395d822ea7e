import type { Appointment as FhirAppointment, Patient as FhirPatient } from '@medplum/fhirtypes';
import {
  type Appointment,
  type AppointmentChange,
  DEFAULT_PATIENT_SEARCH_LIMIT,
  type NewAppointment,
  type Patient,
  type PatientChanges,
  type PatientSearchCriteria,
} from '../../domain/ehr.ts';
import type { EhrConnection } from '../../domain/ehr-connection.ts';
import { ehrNotConnected, ehrUnavailable } from '../../domain/errors/ehr-errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EhrConnectionRepository } from '../../ports/ehr-connection-repository.ts';
import type { EhrCallScope, EhrRepository } from '../../ports/ehr-repository.ts';
import type {
  EhrSubscriptions,
  NotificationHook,
  WatchedRecord,
  WatchedResourceType,
} from '../../ports/ehr-subscriptions.ts';
import { applyAppointmentChange, newAppointmentResource, toAppointment } from './fhir-appointment-mapping.ts';
import type { FhirHttpResponse } from './fhir-http-client.ts';
import { applyPatientChanges, toPatient } from './fhir-patient-mapping.ts';
import { ensureSubscriptions } from './fhir-subscriptions.ts';
import { type FhirTenantClient, isUnderBase } from './fhir-tenant-client.ts';
import { asObject, asString } from './fhir-values.ts';

/**
 * How long a tenant's connection is reused before it is read again. A changed connection (new
 * base URL, client id, key) takes effect within this time; the token cache is keyed by the
 * connection version, so it never serves a token of the old one. "Not connected" is not cached:
 * a connection registered a moment ago works on the next call.
 */
export const CONNECTION_CACHE_MS = 30_000;

const PREFER_REPRESENTATION = { prefer: 'return=representation' } as const;

export interface FhirEhrRepositoryDependencies {
  readonly connections: EhrConnectionRepository;
  readonly client: FhirTenantClient;
  readonly clock: Clock;
  readonly connectionCacheMs?: number | undefined;
}

/**
 * The EHR port over each tenant's FHIR R4 server (SMART Backend Services). Reads project the raw
 * resources (fhir-*-mapping.ts); writes read the raw resource, apply the change onto it (keeping
 * every field the projection does not show) and put it back with `If-Match` on the version read,
 * so a change made in the EHR meanwhile is EHR_CONFLICT, never a lost update.
 */
export class FhirEhrRepository implements EhrRepository, EhrSubscriptions {
  private readonly deps: FhirEhrRepositoryDependencies;
  private readonly connectionCache = new Map<TenantId, { connection: EhrConnection; until: number }>();

  constructor(deps: FhirEhrRepositoryDependencies) {
    this.deps = deps;
  }

  async searchPatients(scope: EhrCallScope, criteria: PatientSearchCriteria): Promise<Patient[]> {
    const connection = await this.connection(scope);
    const params = new URLSearchParams();
    if (criteria.name) params.set('name', criteria.name);
    if (criteria.family) params.set('family', criteria.family);
    if (criteria.given) params.set('given', criteria.given);
    if (criteria.birthDate) params.set('birthdate', criteria.birthDate);
    if (criteria.identifier) params.set('identifier', criteria.identifier);
    if (criteria.gender) params.set('gender', criteria.gender);
    const limit = criteria.limit ?? DEFAULT_PATIENT_SEARCH_LIMIT;
    const resources = await this.deps.client.search(scope, connection, 'Patient', params, limit);
    return resources
      .map((resource) => toPatient(resource, this.now()))
      .filter((patient) => patient !== undefined);
  }

  async getPatient(scope: EhrCallScope, patientId: string): Promise<Patient | undefined> {
    const raw = await this.readRaw(scope, await this.connection(scope), 'Patient', patientId);
    return raw && toPatient(raw.body, this.now());
  }

  async updatePatient(
    scope: EhrCallScope,
    patientId: string,
    changes: PatientChanges,
  ): Promise<Patient | undefined> {
    const connection = await this.connection(scope);
    const raw = await this.readRaw(scope, connection, 'Patient', patientId);
    if (!raw || !toPatient(raw.body, this.now())) return undefined;
    const next = applyPatientChanges(raw.body as FhirPatient, changes, this.now());
    const written = await this.writeRaw(scope, connection, 'Patient', patientId, next, raw);
    return toPatient(written, this.now());
  }

  async getAppointment(scope: EhrCallScope, appointmentId: string): Promise<Appointment | undefined> {
    const raw = await this.readRaw(scope, await this.connection(scope), 'Appointment', appointmentId);
    return raw && toAppointment(raw.body);
  }

  async createAppointment(scope: EhrCallScope, appointment: NewAppointment): Promise<Appointment> {
    const connection = await this.connection(scope);
    const response = await this.deps.client.request(
      scope,
      connection,
      {
        method: 'POST',
        path: 'Appointment',
        json: newAppointmentResource(appointment),
        headers: PREFER_REPRESENTATION,
      },
      'Appointment',
    );
    let created = toAppointment(response?.body);
    const location = response?.headers.location ?? response?.headers['content-location'];
    if (!created && location) created = await this.readLocation(scope, connection, location);
    if (!created) throw ehrUnavailable('no created appointment in the answer');
    return created;
  }

  async changeAppointment(
    scope: EhrCallScope,
    appointmentId: string,
    decide: (current: Appointment) => AppointmentChange,
  ): Promise<Appointment | undefined> {
    const connection = await this.connection(scope);
    const raw = await this.readRaw(scope, connection, 'Appointment', appointmentId);
    const current = raw && toAppointment(raw.body);
    if (!raw || !current) return undefined;
    const next = applyAppointmentChange(raw.body as FhirAppointment, decide(current));
    const written = await this.writeRaw(scope, connection, 'Appointment', appointmentId, next, raw);
    return toAppointment(written);
  }

  async ensure(scope: EhrCallScope, hook: NotificationHook): Promise<string[]> {
    return ensureSubscriptions(this.deps.client, scope, await this.connection(scope), hook);
  }

  async read(scope: EhrCallScope, type: WatchedResourceType, id: string): Promise<WatchedRecord | undefined> {
    if (type === 'Patient') {
      const record = await this.getPatient(scope, id);
      return record && { type, record };
    }
    const record = await this.getAppointment(scope, id);
    return record && { type, record };
  }

  /** The tenant's connection, from the cache when fresh; none registered is EHR_NOT_CONNECTED. */
  private async connection(scope: EhrCallScope): Promise<EhrConnection> {
    const now = this.deps.clock.now().getTime();
    const cached = this.connectionCache.get(scope.tenantId);
    if (cached && cached.until > now) return cached.connection;
    const connection = await this.deps.connections.get(scope.tenantId);
    if (!connection) {
      this.connectionCache.delete(scope.tenantId);
      throw ehrNotConnected();
    }
    this.connectionCache.set(scope.tenantId, {
      connection,
      until: now + (this.deps.connectionCacheMs ?? CONNECTION_CACHE_MS),
    });
    return connection;
  }

  private async readRaw(
    scope: EhrCallScope,
    connection: EhrConnection,
    type: 'Patient' | 'Appointment',
    id: string,
  ): Promise<FhirHttpResponse | undefined> {
    return this.deps.client.request(
      scope,
      connection,
      { method: 'GET', path: `${type}/${encodeURIComponent(id)}` },
      `${type}/${id}`,
    );
  }

  /**
   * PUT with `If-Match` on the version read (the resource's `meta.versionId`, else the ETag). A
   * server that keeps no versions sends neither; the write then goes unconditional, as FHIR allows.
   */
  private async writeRaw(
    scope: EhrCallScope,
    connection: EhrConnection,
    type: 'Patient' | 'Appointment',
    id: string,
    resource: FhirPatient | FhirAppointment,
    read: FhirHttpResponse,
  ): Promise<unknown> {
    const versionId = asString(asObject(asObject(read.body)?.meta)?.versionId);
    const ifMatch = versionId ? `W/"${versionId}"` : read.headers.etag;
    const response = await this.deps.client.request(
      scope,
      connection,
      {
        method: 'PUT',
        path: `${type}/${encodeURIComponent(id)}`,
        json: resource,
        headers: { ...PREFER_REPRESENTATION, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      },
      `${type}/${id}`,
    );
    if (!response) return undefined;
    if (asObject(response.body)?.resourceType === type) return response.body;
    // The server answered no body: what it now holds is read back, with its new version.
    return (await this.readRaw(scope, connection, type, id))?.body;
  }

  private async readLocation(
    scope: EhrCallScope,
    connection: EhrConnection,
    location: string,
  ): Promise<Appointment | undefined> {
    const absolute = new URL(location, `${connection.fhirBaseUrl.replace(/\/+$/, '')}/`).toString();
    if (!isUnderBase(absolute, connection.fhirBaseUrl)) return undefined;
    const response = await this.deps.client.request(
      scope,
      connection,
      { method: 'GET', url: absolute },
      'Appointment',
    );
    return toAppointment(response?.body);
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
