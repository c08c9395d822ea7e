import { z } from 'zod';
import { RecordIdSchema } from './ehr.ts';

/**
 * What a FHIR R4 server posts to the platform's rest-hook endpoint (id-only payloads, as the
 * Subscriptions Backport IG sends them and the local FHIR stand-in does): a `history` Bundle whose
 * first entry is a `Parameters` status (subscription, type, focus references) and whose other
 * entries name changed resources by `fullUrl` / `request.url`. A bare resource counts by its
 * `resourceType` and `id` alone; an empty body is an R4 ping. Nothing else in the body is trusted
 * or kept: the platform re-reads every record it names with its own token.
 */

/** Most references one notification may name; a larger one is refused, not truncated. */
export const MAX_NOTIFICATION_REFERENCES = 50;
/** The notification body cap: an id-only Bundle of 50 references is a few KiB. */
export const MAX_NOTIFICATION_BODY_BYTES = 64 * 1024;

export const NOTIFICATION_RECORD_TYPES = ['Patient', 'Appointment'] as const;
export type NotificationRecordType = (typeof NOTIFICATION_RECORD_TYPES)[number];

const ReferenceTextSchema = z.string().min(1).max(2000);
const ResourceTypeSchema = z.string().regex(/^[A-Z][A-Za-z]{0,63}$/);

const ParameterSchema = z.looseObject({
  name: z.string().max(100),
  valueReference: z.looseObject({ reference: ReferenceTextSchema }).optional(),
  valueCode: z.string().max(100).optional(),
  part: z
    .array(
      z.looseObject({
        name: z.string().max(100),
        valueReference: z.looseObject({ reference: ReferenceTextSchema }).optional(),
      }),
    )
    .max(MAX_NOTIFICATION_REFERENCES)
    .optional(),
});

const StatusParametersSchema = z.looseObject({
  resourceType: z.literal('Parameters'),
  parameter: z.array(ParameterSchema).max(MAX_NOTIFICATION_REFERENCES + 10),
});

const BundleEntrySchema = z.looseObject({
  fullUrl: ReferenceTextSchema.optional(),
  // The status entry carries its Parameters; other entries' resources are never read (id-only).
  resource: z.looseObject({ resourceType: ResourceTypeSchema }).optional(),
  request: z.looseObject({ method: z.string().max(10), url: ReferenceTextSchema }).optional(),
});

export const NotificationBundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.enum(['history', 'subscription-notification']),
  entry: z.array(BundleEntrySchema).max(MAX_NOTIFICATION_REFERENCES + 1),
});

export const BareResourceSchema = z.looseObject({
  resourceType: ResourceTypeSchema,
  id: RecordIdSchema,
});

export const NOTIFICATION_KINDS = ['ping', 'handshake', 'heartbeat', 'event-notification'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A record a notification names, in the tenant's EHR. */
export interface NotificationReference {
  readonly type: NotificationRecordType;
  readonly id: string;
}

export interface ParsedNotification {
  readonly kind: NotificationKind;
  /** Patient and Appointment records under the tenant's base, each once. */
  readonly references: readonly NotificationReference[];
  /** References left out: another type, another server, or not a reference at all. */
  readonly ignored: number;
}

export type NotificationParseResult =
  | { readonly ok: true; readonly notification: ParsedNotification }
  | { readonly ok: false; readonly reason: string };

const refused = (reason: string): NotificationParseResult => ({ ok: false, reason });

/**
 * Parses a notification body (already JSON, `undefined` or `{}` for an empty one) against the
 * tenant's FHIR base. A reference is `Type/id`, `Type/id/_history/v`, or the same under
 * `fhirBaseUrl`; a reference to any other server is ignored, never followed.
 */
export function parseNotification(body: unknown, fhirBaseUrl: string): NotificationParseResult {
  if (body === undefined || (isPlainObject(body) && Object.keys(body).length === 0)) {
    return { ok: true, notification: { kind: 'ping', references: [], ignored: 0 } };
  }
  const bundle = NotificationBundleSchema.safeParse(body);
  if (bundle.success) return fromBundle(bundle.data, fhirBaseUrl);
  if (isPlainObject(body) && body.resourceType === 'Bundle')
    return refused('not an id-only notification Bundle');
  const bare = BareResourceSchema.safeParse(body);
  if (!bare.success) return refused('neither a notification Bundle nor a resource');
  return {
    ok: true,
    notification: collect('event-notification', [`${bare.data.resourceType}/${bare.data.id}`], fhirBaseUrl),
  };
}

function fromBundle(
  bundle: z.infer<typeof NotificationBundleSchema>,
  fhirBaseUrl: string,
): NotificationParseResult {
  const [first, ...rest] = bundle.entry;
  const status = StatusParametersSchema.safeParse(first?.resource);
  const texts: string[] = [];
  let kind: NotificationKind = 'event-notification';
  let entries = bundle.entry;
  if (status.success) {
    entries = rest;
    const type = status.data.parameter.find((parameter) => parameter.name === 'type')?.valueCode;
    const known = z.enum(NOTIFICATION_KINDS).safeParse(type);
    if (type !== undefined && !known.success) return refused('unknown notification type');
    if (known.success) kind = known.data;
    for (const parameter of status.data.parameter) {
      if (parameter.name !== 'notification-event') continue;
      for (const part of parameter.part ?? []) {
        if (part.name === 'focus' && part.valueReference) texts.push(part.valueReference.reference);
      }
    }
  }
  for (const entry of entries) {
    const text = entry.request?.url ?? entry.fullUrl;
    if (text !== undefined) texts.push(text);
  }
  if (kind !== 'event-notification') return { ok: true, notification: { kind, references: [], ignored: 0 } };
  if (texts.length > MAX_NOTIFICATION_REFERENCES * 2) return refused('too many references');
  const notification = collect(kind, texts, fhirBaseUrl);
  if (notification.references.length > MAX_NOTIFICATION_REFERENCES) return refused('too many references');
  return { ok: true, notification };
}

function collect(kind: NotificationKind, texts: readonly string[], fhirBaseUrl: string): ParsedNotification {
  const seen = new Map<string, NotificationReference>();
  let ignored = 0;
  for (const text of texts) {
    const reference = referenceOf(text, fhirBaseUrl);
    if (reference) seen.set(`${reference.type}/${reference.id}`, reference);
    else ignored += 1;
  }
  return { kind, references: [...seen.values()], ignored };
}

const RELATIVE_REFERENCE =
  /^([A-Z][A-Za-z]{0,63})\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(?:\/_history\/[A-Za-z0-9._-]{1,64})?$/;

/** `Type/id[/_history/v]`, relative or under the tenant's base; anything else is not ours. */
export function referenceOf(text: string, fhirBaseUrl: string): NotificationReference | undefined {
  let relative = text;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    const base = withTrailingSlash(fhirBaseUrl);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (url.search || url.hash || url.username || url.password) return undefined;
    // Compared after URL normalisation, so `https://EHR.example/fhir/../fhir/` tricks compare as they resolve.
    const absolute = url.href;
    if (!absolute.startsWith(new URL(base).href)) return undefined;
    relative = absolute.slice(new URL(base).href.length);
  }
  const match = RELATIVE_REFERENCE.exec(relative);
  const type = match?.[1];
  const id = match?.[2];
  if (type === undefined || id === undefined) return undefined;
  if (!(NOTIFICATION_RECORD_TYPES as readonly string[]).includes(type)) return undefined;
  return { type: type as NotificationRecordType, id };
}

const withTrailingSlash = (value: string): string => (value.endsWith('/') ? value : `${value}/`);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
