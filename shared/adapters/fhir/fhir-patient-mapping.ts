import type { Patient as FhirPatient } from '@medplum/fhirtypes';
import {
  type ContactPoint,
  ContactPointSchema,
  type Identifier,
  IdentifierSchema,
  type Patient,
  type PatientChanges,
  PatientSchema,
} from '../../domain/ehr.ts';
import {
  asObject,
  asObjects,
  asString,
  asStrings,
  codeableText,
  isCurrent,
  type JsonObject,
  valid,
  withoutUndefined,
} from './fhir-values.ts';

const MAX_LIST = 50;
const shape = PatientSchema.shape;

/**
 * A FHIR R4 `Patient` as the plugin API's projection (shared/domain/ehr.ts documents each field).
 * Anything that does not fit the projection is left out; a resource without a usable id is no
 * patient at all (undefined). `now` decides which names and telecoms have ended.
 */
export function toPatient(resource: unknown, now: number): Patient | undefined {
  const raw = asObject(resource);
  if (raw?.resourceType !== 'Patient') return undefined;
  const id = valid(shape.id, raw.id);
  if (!id) return undefined;
  const preferred = preferredName(raw, now);
  const given = preferred
    ? asStrings(preferred.given)
        .filter((name) => name.length <= 200)
        .slice(0, 10)
    : [];
  const family = valid(shape.family, asString(preferred?.family));
  const text = asString(preferred?.text) ?? ([...given, family].filter(Boolean).join(' ') || undefined);
  const telecom = currentTelecom(raw, now);
  const projection = {
    id,
    versionId: valid(shape.versionId, asString(asObject(raw.meta)?.versionId)),
    identifiers: identifiers(raw),
    name: valid(shape.name, text),
    family,
    given,
    birthDate: valid(shape.birthDate, raw.birthDate),
    gender: valid(shape.gender, raw.gender),
    phone: valid(shape.phone, preferredPhone(telecom)?.value),
    email: valid(shape.email, telecom.find((point) => point.system === 'email')?.value),
    telecom: telecom.slice(0, MAX_LIST),
  };
  return valid(PatientSchema, withoutUndefined(projection));
}

/**
 * The changes applied onto the EHR's own resource, keeping every other field and extension: the
 * preferred name (the one projected) gets the family and given names, the projected phone and
 * email get the new values (or are added), birth date and gender are replaced.
 */
export function applyPatientChanges(
  resource: FhirPatient,
  changes: PatientChanges,
  now: number,
): FhirPatient {
  const next = structuredClone(resource) as FhirPatient & JsonObject;
  if (changes.family !== undefined || changes.given !== undefined) {
    let name = preferredName(next, now);
    if (!name) {
      name = { use: 'official' };
      next.name = [...(Array.isArray(next.name) ? next.name : []), name] as FhirPatient['name'];
    }
    if (changes.family !== undefined) name.family = changes.family;
    if (changes.given !== undefined) name.given = [...changes.given];
    // A text would contradict the new parts; the EHR renders it again from them.
    if (typeof name.text === 'string') delete name.text;
  }
  if (changes.birthDate !== undefined) next.birthDate = changes.birthDate;
  if (changes.gender !== undefined) next.gender = changes.gender;
  if (changes.phone !== undefined) setTelecom(next, now, 'phone', changes.phone);
  if (changes.email !== undefined) setTelecom(next, now, 'email', changes.email);
  return next;
}

/** Official, else usual, else the first name, of those whose period has not ended. */
function preferredName(raw: JsonObject, now: number): JsonObject | undefined {
  const names = asObjects(raw.name).filter((name) => isCurrent(name, now));
  return (
    names.find((name) => name.use === 'official') ?? names.find((name) => name.use === 'usual') ?? names[0]
  );
}

function identifiers(raw: JsonObject): Identifier[] {
  return asObjects(raw.identifier)
    .map((item) =>
      valid(
        IdentifierSchema,
        withoutUndefined({
          system: asString(item.system),
          value: asString(item.value),
          use: asString(item.use),
          type: codeableText(item.type),
        }),
      ),
    )
    .filter((item): item is Identifier => item !== undefined)
    .slice(0, MAX_LIST);
}

/** Telecoms still in use whose system the projection knows; odd ones are dropped. */
function currentTelecom(raw: JsonObject, now: number): ContactPoint[] {
  return currentTelecomEntries(raw, now)
    .map(({ point }) => point)
    .filter((point): point is ContactPoint => point !== undefined);
}

function currentTelecomEntries(
  raw: JsonObject,
  now: number,
): { item: JsonObject; point: ContactPoint | undefined }[] {
  return asObjects(raw.telecom)
    .filter((item) => isCurrent(item, now))
    .map((item) => ({
      item,
      point: valid(
        ContactPointSchema,
        withoutUndefined({
          system: asString(item.system),
          value: asString(item.value),
          use: asString(item.use),
        }),
      ),
    }));
}

function preferredPhone(telecom: readonly ContactPoint[]): ContactPoint | undefined {
  const phones = telecom.filter((point) => point.system === 'phone');
  return (
    phones.find((point) => point.use === 'mobile') ??
    phones.find((point) => point.use === 'home') ??
    phones[0]
  );
}

/** Replaces the value of the telecom the projection shows for `system`, or adds one. */
function setTelecom(resource: JsonObject, now: number, system: 'phone' | 'email', value: string): void {
  const entries = currentTelecomEntries(resource, now).filter((entry) => entry.point?.system === system);
  const shown =
    system === 'phone'
      ? (entries.find((entry) => entry.point?.use === 'mobile') ??
        entries.find((entry) => entry.point?.use === 'home') ??
        entries[0])
      : entries[0];
  if (shown) {
    shown.item.value = value;
    return;
  }
  const added = system === 'phone' ? { system, value, use: 'mobile' } : { system, value };
  resource.telecom = [...(Array.isArray(resource.telecom) ? resource.telecom : []), added];
}
