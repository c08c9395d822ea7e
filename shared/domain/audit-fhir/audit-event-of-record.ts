import type { AuditRecordView } from '../audit-query.ts';
import type { AuditEvent } from './audit-event-schema.ts';

/**
 * A platform audit record as a FHIR R4 AuditEvent, following the IHE Basic Audit Log Patterns
 * (BALP) where they fit: patient reads and changes are DICOM "Patient Record" events, searches
 * "Query", API requests and lifecycle changes RESTful operations, anomalies "Security Alert". Only
 * ids and codes are carried: `outcomeDesc` is the record's error code, never its free-text reason.
 */
const DICOM = 'http://dicom.nema.org/resources/ontology/DCM';
const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const BALP_ENTITY_TYPE = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType';
/** The platform's own code systems and identifier systems. */
export const AUDIT_ACTION_SYSTEM = 'urn:gradiant-plugins:audit-action';
export const ACTOR_SYSTEM = 'urn:gradiant-plugins:actor';
export const PLUGIN_SYSTEM = 'urn:gradiant-plugins:plugin';
export const PATIENT_SYSTEM = 'urn:gradiant-plugins:patient';
export const AUDIT_RECORD_SYSTEM = 'urn:gradiant-plugins:audit-record';
export const PLATFORM_OBSERVER = 'gradiant-plugins';

const TYPES = {
  patientRecord: { system: DICOM, code: '110110', display: 'Patient Record' },
  query: { system: DICOM, code: '110112', display: 'Query' },
  securityAlert: { system: DICOM, code: '110113', display: 'Security Alert' },
  rest: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'RESTful Operation' },
} as const;

const OUTCOMES = { success: '0', refused: '4', failure: '8' } as const;
/** FHIR ids allow letters, digits, `-` and `.`; a record id outside that is referenced by identifier. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

type Action = AuditEvent['action'];
type Entity = NonNullable<AuditEvent['entity']>[number];

const verbOf = (name: string): string => name.split(/[.:]/).at(-1) ?? name;
const QUERY_VERBS = new Set(['search', 'list', 'find']);
const READ_VERBS = new Set(['get', 'read']);

/** A run's data accesses: all reads are R, any search makes it a query (E), any write an update. */
function dataAccessTypeOf(operations: readonly string[]): Pick<AuditEvent, 'type' | 'action'> {
  const verbs = operations.map(verbOf);
  if (verbs.some((verb) => !READ_VERBS.has(verb) && !QUERY_VERBS.has(verb)))
    return { type: TYPES.patientRecord, action: 'U' };
  if (verbs.some((verb) => QUERY_VERBS.has(verb))) return { type: TYPES.query, action: 'E' };
  return { type: TYPES.patientRecord, action: 'R' };
}

function requestActionOf(routeKey: string, status: number): Action {
  const method = routeKey.split(' ', 1)[0];
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'R';
  if (method === 'PUT' || method === 'PATCH') return 'U';
  if (method === 'DELETE') return 'D';
  return status === 201 ? 'C' : 'E';
}

/** Lifecycle and marketplace actions by their last word (`plugin:install`, `marketplace:revoke`…). */
function platformActionOf(action: string): Action {
  const verb = verbOf(action);
  if (/^(install(ed)?|publish(ed)?|register(ed)?|register-key|create(d)?)$/.test(verb)) return 'C';
  if (/^(uninstall(ed)?|revoke(d)?|revoke-key|delete(d)?)$/.test(verb)) return 'D';
  if (/^(enable(d)?|disable(d)?|update(d)?)$/.test(verb)) return 'U';
  return 'E';
}

function typeAndActionOf(record: AuditRecordView): Pick<AuditEvent, 'type' | 'action'> {
  if (record.action === 'security:anomaly') return { type: TYPES.securityAlert, action: 'E' };
  if (record.request)
    return { type: TYPES.rest, action: requestActionOf(record.request.routeKey, record.request.status) };
  const operations = record.dataAccess?.map((access) => access.operation) ?? [];
  if (operations.length > 0) return dataAccessTypeOf(operations);
  return { type: TYPES.rest, action: platformActionOf(record.action) };
}

const identified = (system: string, value: string) => ({ identifier: { system, value } });

function patientEntity(patientId: string): Entity {
  return {
    what: FHIR_ID.test(patientId)
      ? { reference: `Patient/${patientId}` }
      : identified(PATIENT_SYSTEM, patientId),
    type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
    role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
  };
}

/** Ids an auditable field could not keep arrive as `invalid:length=N`: no patient to reference. */
const isRecordedId = (id: string): boolean => !id.startsWith('invalid:');

function entitiesOf(record: AuditRecordView): Entity[] {
  const patientIds = new Set(
    (record.dataAccess ?? []).flatMap((access) => access.patientIds ?? []).filter(isRecordedId),
  );
  return [
    ...[...patientIds].map(patientEntity),
    ...(record.pluginId === undefined
      ? []
      : [
          {
            what: identified(PLUGIN_SYSTEM, record.pluginId),
            type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
            role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
          },
        ]),
    ...(record.requestId === undefined
      ? []
      : [
          {
            what: identified('urn:gradiant-plugins:request-id', record.requestId),
            type: { system: BALP_ENTITY_TYPE, code: 'XrequestId', display: 'X-Request-Id' },
          },
        ]),
    ...(record.evidenceRecordIds ?? []).filter(isRecordedId).map((id) => ({
      what: identified(AUDIT_RECORD_SYSTEM, id),
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '13', display: 'Security Resource' },
    })),
  ];
}

function agentsOf(record: AuditRecordView): AuditEvent['agent'] {
  return [
    { who: identified(ACTOR_SYSTEM, record.actor), requestor: true },
    ...(record.pluginId === undefined
      ? []
      : [
          {
            type: { coding: [{ system: DICOM, code: '110150', display: 'Application' }] },
            who: identified(PLUGIN_SYSTEM, record.pluginId),
            requestor: false,
          },
        ]),
  ];
}

/** The AuditEvent for one record; pure, so every consumer of the bundle sees the same mapping. */
export function auditEventOfRecord(record: AuditRecordView): AuditEvent {
  const entity = entitiesOf(record);
  const code = record.code;
  return {
    resourceType: 'AuditEvent',
    id: FHIR_ID.test(record.id) ? record.id : record.id.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64),
    ...typeAndActionOf(record),
    subtype: [{ system: AUDIT_ACTION_SYSTEM, code: record.action }],
    recorded: record.recordedAt,
    outcome: OUTCOMES[record.outcome],
    ...(code !== undefined && !code.startsWith('invalid:') ? { outcomeDesc: code } : {}),
    agent: agentsOf(record),
    source: {
      observer: {
        ...identified('urn:gradiant-plugins:system', PLATFORM_OBSERVER),
        display: 'Gradiant Plugins',
      },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    ...(entity.length > 0 ? { entity } : {}),
  };
}
