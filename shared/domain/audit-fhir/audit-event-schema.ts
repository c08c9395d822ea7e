import { z } from 'zod';

/**
 * The subset of FHIR R4 `AuditEvent` (and of a searchset `Bundle` of them) the audit query emits.
 * Strict objects: the mapping is checked against it in tests, so a field FHIR does not define, or
 * one spelled wrong, fails there rather than at a consumer's validator.
 */
const CodingSchema = z.strictObject({
  system: z.string().min(1),
  code: z.string().min(1),
  display: z.string().min(1).optional(),
});
const IdentifierSchema = z.strictObject({ system: z.string().min(1), value: z.string().min(1) });
/** A literal reference (`Patient/<id>`) or a logical one by identifier; never both empty. */
const ReferenceSchema = z
  .strictObject({
    reference: z
      .string()
      .regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9.-]{1,64}$/)
      .optional(),
    identifier: IdentifierSchema.optional(),
    display: z.string().min(1).optional(),
  })
  .refine((reference) => reference.reference !== undefined || reference.identifier !== undefined, {
    message: 'a reference needs a reference or an identifier',
  });

export const AUDIT_EVENT_ACTIONS = ['C', 'R', 'U', 'D', 'E'] as const;
/** R4: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export const AUDIT_EVENT_OUTCOMES = ['0', '4', '8', '12'] as const;

export const AuditEventAgentSchema = z.strictObject({
  type: z.strictObject({ coding: z.array(CodingSchema).min(1) }).optional(),
  who: ReferenceSchema,
  requestor: z.boolean(),
});

export const AuditEventEntitySchema = z.strictObject({
  what: ReferenceSchema,
  type: CodingSchema.optional(),
  role: CodingSchema.optional(),
});

export const AuditEventSchema = z.strictObject({
  resourceType: z.literal('AuditEvent'),
  id: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/),
  meta: z.strictObject({ profile: z.array(z.string()).min(1) }).optional(),
  type: CodingSchema,
  subtype: z.array(CodingSchema).min(1),
  action: z.enum(AUDIT_EVENT_ACTIONS),
  recorded: z.iso.datetime(),
  outcome: z.enum(AUDIT_EVENT_OUTCOMES),
  outcomeDesc: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)
    .optional(),
  agent: z.array(AuditEventAgentSchema).min(1),
  source: z.strictObject({
    observer: ReferenceSchema,
    type: z.array(CodingSchema).min(1),
  }),
  entity: z.array(AuditEventEntitySchema).optional(),
});
export type AuditEvent = z.output<typeof AuditEventSchema>;

export const AuditEventBundleSchema = z.strictObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  link: z.array(z.strictObject({ relation: z.enum(['self', 'next']), url: z.string().min(1) })),
  entry: z.array(
    z.strictObject({
      resource: AuditEventSchema,
      search: z.strictObject({ mode: z.literal('match') }),
    }),
  ),
});
export type AuditEventBundle = z.output<typeof AuditEventBundleSchema>;
