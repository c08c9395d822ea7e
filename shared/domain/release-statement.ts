import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from './errors.ts';
import { verifyP256Signature } from './signatures.ts';

/** A release statement as stored: the exact signed bytes (canonical JSON) and the signature. */
export interface SignedStatement {
  readonly payload: string;
  readonly keyId: string;
  readonly signature: string;
}

/**
 * What the platform vouches for when the marketplace accepts a release. Signed with the platform
 * key (KMS) over the exact `payload` bytes; installs and executions check it against the artifact.
 */
export const ReleaseStatementSchema = z.object({
  pluginId: z.string(),
  version: z.string(),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  publisher: z.string(),
  permissions: z.array(z.string()),
  publishedAt: z.iso.datetime(),
});
export type ReleaseStatement = z.infer<typeof ReleaseStatementSchema>;

/** Canonical bytes: fixed key order, no whitespace, so every signer and verifier agrees. */
export function serializeStatement(statement: ReleaseStatement): string {
  const { pluginId, version, sha256, publisher, permissions, publishedAt } = statement;
  return JSON.stringify({ pluginId, version, sha256, publisher, permissions, publishedAt });
}

export class ReleaseVerificationError extends DomainError {
  constructor(message: string, field = 'signature') {
    super('SIGNATURE_INVALID', message, { field });
  }
}

/**
 * Checks a stored statement: signed by the platform key, and about exactly this plugin, version
 * and artifact digest. Any mismatch (tampered object, swapped version, unknown key) refuses.
 */
export function verifyReleaseStatement(
  signed: SignedStatement,
  platform: { keyId: string; publicKey: KeyObject },
  expected: { pluginId: string; version: string; sha256: string },
): ReleaseStatement {
  if (signed.keyId !== platform.keyId)
    throw new ReleaseVerificationError('The release is signed by an unknown key.');
  if (!verifyP256Signature(platform.publicKey, Buffer.from(signed.payload, 'utf8'), signed.signature)) {
    throw new ReleaseVerificationError('The release statement signature does not verify.');
  }
  const parsed = ReleaseStatementSchema.safeParse(JSON.parse(signed.payload));
  if (!parsed.success) throw new ReleaseVerificationError('The release statement is malformed.');
  const statement = parsed.data;
  if (statement.pluginId !== expected.pluginId || statement.version !== expected.version) {
    throw new ReleaseVerificationError('The release statement is for another plugin or version.');
  }
  if (statement.sha256 !== expected.sha256) {
    throw new ReleaseVerificationError('The artifact does not match the signed release digest.', 'code');
  }
  return statement;
}
