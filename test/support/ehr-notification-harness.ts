import type { Appointment, Patient } from '../../shared/domain/ehr.ts';
import type { EhrConnection } from '../../shared/domain/ehr-connection.ts';
import { concurrentModification } from '../../shared/domain/errors/lifecycle-errors.ts';
import { type TenantId, TenantIdSchema } from '../../shared/domain/identifiers.ts';
import type { EhrConnectionRepository } from '../../shared/ports/ehr-connection-repository.ts';
import type { EhrCallScope } from '../../shared/ports/ehr-repository.ts';
import type {
  EhrSubscriptions,
  NotificationHook,
  WatchedRecord,
  WatchedResourceType,
} from '../../shared/ports/ehr-subscriptions.ts';
import type { OutboxEntries } from '../../shared/ports/outbox.ts';
import { InMemoryUsageCounters } from '../../shared/sandbox/usage-counters.ts';
import type { HandleEhrNotificationDependencies } from '../../shared/services/ehr/handle-ehr-notification.ts';
import { notificationSecretSha256 } from '../../shared/services/ehr/notification-secret.ts';
import { InMemoryEhrChangeLedger } from './fakes/in-memory-ehr-change-ledger.ts';
import { InMemoryOutbox } from './fakes/in-memory-outbox.ts';

export const ACME = TenantIdSchema.parse('t-acme');
export const GLOBEX = TenantIdSchema.parse('t-globex');
export const ACME_BASE = 'https://ehr.acme.example/fhir/R4';
export const ACME_SECRET = 'acme-secret-0123456789abcdefghijklmnopqrstuv';
export const GLOBEX_SECRET = 'globex-secret-0123456789abcdefghijklmnopqrs';

export class InMemoryEhrConnections implements EhrConnectionRepository {
  readonly stored = new Map<string, EhrConnection>();
  private readonly outbox: InMemoryOutbox;

  constructor(outbox: InMemoryOutbox) {
    this.outbox = outbox;
  }

  async get(tenantId: TenantId): Promise<EhrConnection | undefined> {
    return this.stored.get(tenantId);
  }

  async put(
    connection: EhrConnection,
    expectedVersion: number,
    outbox: OutboxEntries,
  ): Promise<EhrConnection> {
    if ((this.stored.get(connection.tenantId)?.version ?? 0) !== expectedVersion)
      throw concurrentModification('plugin');
    this.stored.set(connection.tenantId, connection);
    this.outbox.commit(outbox);
    return connection;
  }
}

/** The EHR as the subscriptions port sees it: records by tenant, type and id, as they are now. */
export class FakeEhrSubscriptions implements EhrSubscriptions {
  readonly records = new Map<string, WatchedRecord>();
  readonly reads: string[] = [];
  readonly hooks: NotificationHook[] = [];
  failEnsure: Error | undefined;
  failReads: Error | undefined;

  async ensure(scope: EhrCallScope, hook: NotificationHook): Promise<string[]> {
    if (this.failEnsure) throw this.failEnsure;
    this.hooks.push(hook);
    return [`sub-patient-${scope.tenantId}`, `sub-appointment-${scope.tenantId}`];
  }

  async read(scope: EhrCallScope, type: WatchedResourceType, id: string): Promise<WatchedRecord | undefined> {
    this.reads.push(`${scope.tenantId}/${type}/${id}`);
    if (this.failReads) throw this.failReads;
    return this.records.get(`${scope.tenantId}/${type}/${id}`);
  }

  setPatient(tenantId: string, patient: Partial<Patient> & { id: string; versionId: string }): void {
    this.records.set(`${tenantId}/Patient/${patient.id}`, {
      type: 'Patient',
      record: { identifiers: [], given: [], telecom: [], ...patient },
    });
  }

  setAppointment(
    tenantId: string,
    appointment: Partial<Appointment> & Pick<Appointment, 'id' | 'status'> & { versionId: string },
  ): void {
    this.records.set(`${tenantId}/Appointment/${appointment.id}`, {
      type: 'Appointment',
      record: { patientId: 'p-1', participants: [], ...appointment },
    });
  }
}

export function aConnection(
  tenantId: TenantId,
  fhirBaseUrl: string,
  secret: string | undefined,
): EhrConnection {
  return {
    tenantId,
    fhirBaseUrl,
    clientId: 'gradiant',
    scopes: ['system/Patient.rs', 'system/Appointment.rs'],
    signingAlgorithm: 'ES384',
    keyId: 'kid-1',
    resolvedTokenEndpoint: `${fhirBaseUrl}/token`,
    ...(secret === undefined
      ? {}
      : {
          subscription: {
            state: 'active' as const,
            subscriptionIds: ['s-1', 's-2'],
            secretSha256: notificationSecretSha256(secret),
            updatedAt: '2026-12-01T00:00:00.000Z',
          },
        }),
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    updatedBy: 't-acme/admin',
  };
}

export interface NotificationHarness {
  readonly deps: HandleEhrNotificationDependencies;
  readonly outbox: InMemoryOutbox;
  readonly ehr: FakeEhrSubscriptions;
  readonly ledger: InMemoryEhrChangeLedger;
  readonly connections: InMemoryEhrConnections;
  readonly counters: InMemoryUsageCounters;
}

/** Two connected tenants (acme and globex), each with its own secret and FHIR base. */
export function notificationHarness(perMinute = 100): NotificationHarness {
  const outbox = new InMemoryOutbox();
  const ehr = new FakeEhrSubscriptions();
  const ledger = new InMemoryEhrChangeLedger(outbox);
  const connections = new InMemoryEhrConnections(outbox);
  connections.stored.set(ACME, aConnection(ACME, ACME_BASE, ACME_SECRET));
  connections.stored.set(GLOBEX, aConnection(GLOBEX, 'https://ehr.globex.example/fhir', GLOBEX_SECRET));
  const counters = new InMemoryUsageCounters();
  let id = 0;
  const deps: HandleEhrNotificationDependencies = {
    outbox,
    ids: { next: () => `evt-${++id}` },
    clock: { now: () => new Date('2026-12-02T10:00:00.000Z') },
    auditRetry: { attempts: 1, baseDelayMs: 0 },
    connections,
    subscriptions: ehr,
    ledger,
    counters,
    limits: { perMinute, readBudgetMs: 1_000 },
  };
  return { deps, outbox, ehr, ledger, connections, counters };
}

/** An id-only notification Bundle as a Backport-IG R4 server sends it. */
export function notificationBundle(
  references: readonly string[],
  options: { type?: string; base?: string } = {},
): Record<string, unknown> {
  const base = options.base ?? ACME_BASE;
  return {
    resourceType: 'Bundle',
    type: 'history',
    entry: [
      {
        resource: {
          resourceType: 'Parameters',
          parameter: [
            { name: 'subscription', valueReference: { reference: 'Subscription/s-1' } },
            { name: 'type', valueCode: options.type ?? 'event-notification' },
            ...references.map((reference) => ({
              name: 'notification-event',
              part: [{ name: 'focus', valueReference: { reference } }],
            })),
          ],
        },
      },
      ...references.map((reference) => {
        const relative = reference.replace(/\/_history\/.*$/, '').replace(`${base}/`, '');
        return { fullUrl: `${base}/${relative}`, request: { method: 'PUT', url: relative } };
      }),
    ],
  };
}
