import { z } from 'zod';

/** How a publisher proved it controls its domain. */
export const VERIFICATION_METHODS = ['dns-txt', 'well-known'] as const;
export const VerificationMethodSchema = z.enum(VERIFICATION_METHODS);
export type VerificationMethod = z.infer<typeof VerificationMethodSchema>;

/** The TXT record name and value, and the well-known path, a publisher publishes its proof at. */
export const proofRecordName = (domain: string): string => `_gradiant-publisher.${domain}`;
export const proofRecordValue = (publisherId: string): string => `gradiant-publisher=${publisherId}`;
export const WELL_KNOWN_PROOF_PATH = '/.well-known/gradiant-publisher.txt';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A DNS name of at least two labels (`acme-health.com`), lower-cased, trailing dot dropped. An IP
 * literal is refused: its last label is numeric (`10.0.0.1`) or it holds a colon (IPv6), and no
 * top-level domain is all digits. Whether it resolves to a public address is the adapters' check.
 */
export const PublisherDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .transform((value) => value.replace(/\.$/, ''))
  .refine((value) => {
    const labels = value.split('.');
    return (
      labels.length >= 2 && labels.every((label) => LABEL.test(label)) && !/^\d+$/.test(labels.at(-1) ?? '')
    );
  }, 'must be a DNS name (say acme-health.com), not an IP address');

export const VerifyPublisherRequestSchema = z
  .object({
    method: VerificationMethodSchema,
    domain: PublisherDomainSchema,
    /** A reference to the business associate agreement on file: plain text, no markup. */
    baaReference: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^<>\p{Cc}]*$/u, 'must be plain text')
      .optional(),
  })
  .strict();
export type VerifyPublisherRequest = z.infer<typeof VerifyPublisherRequestSchema>;

export const RevokePublisherVerificationRequestSchema = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict();

/** What the platform checked, when and on whose request; kept after a revocation as history. */
export const PublisherVerificationEvidenceSchema = z.object({
  method: VerificationMethodSchema,
  domain: z.string().min(1).max(253),
  checkedAt: z.iso.datetime(),
  /** The platform admin (actor id) who asked for the check. */
  verifiedBy: z.string().min(1).max(256),
  baaReference: z.string().max(200).optional(),
});
export type PublisherVerificationEvidence = z.infer<typeof PublisherVerificationEvidenceSchema>;

export const PublisherVerificationRevocationSchema = z.object({
  revokedAt: z.iso.datetime(),
  revokedBy: z.string().min(1).max(256),
  reason: z.string().max(500).optional(),
});
export type PublisherVerificationRevocation = z.infer<typeof PublisherVerificationRevocationSchema>;

/** What a plugin page shows of the verification: the BAA only as a yes or no. */
export const PublicVerificationSchema = z.object({
  method: VerificationMethodSchema,
  domain: z.string(),
  checkedAt: z.iso.datetime(),
  hasBaa: z.boolean(),
});
export type PublicVerification = z.infer<typeof PublicVerificationSchema>;

export const toPublicVerification = (evidence: PublisherVerificationEvidence): PublicVerification => ({
  method: evidence.method,
  domain: evidence.domain,
  checkedAt: evidence.checkedAt,
  hasBaa: evidence.baaReference !== undefined,
});
