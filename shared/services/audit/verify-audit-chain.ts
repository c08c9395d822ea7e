import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  type AuditDigest,
  AuditDigestSchema,
  digestHashOf,
  digestSigningPayload,
} from '../../domain/audit-chain/chain-format.ts';
import {
  type ChainAnchor,
  type ChainVerification,
  ecdsaDigestSignatureCheck,
  GENESIS_ANCHOR,
  type StoredChainObject,
  verifyChain,
} from '../../domain/audit-chain/verify-chain.ts';
import type { AuditChainStore, AuditDigestVerifier } from '../../ports/audit-chain-store.ts';

export interface VerifyAuditChainRequest {
  readonly tenantId: string;
  /** ISO bounds: only the digested periods overlapping them (and their records) are walked. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export type AuditChainReport = ChainVerification & { readonly tenantId: string };

async function readAll(store: AuditChainStore, keys: readonly string[]): Promise<StoredChainObject[]> {
  const objects: StoredChainObject[] = [];
  // An object listed but gone by the time it is read reads as empty text: unparsable.
  for (const objectKey of keys) objects.push({ objectKey, text: (await store.read(objectKey)) ?? '' });
  return objects;
}

function parsedDigest(object: StoredChainObject): AuditDigest | undefined {
  try {
    const parsed = AuditDigestSchema.safeParse(JSON.parse(object.text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function publicKeysFor(
  digests: readonly StoredChainObject[],
  verifier: AuditDigestVerifier,
): Promise<Map<string, KeyObject>> {
  const keyIds = new Set(digests.flatMap((object) => parsedDigest(object)?.signature.keyId ?? []));
  const keys = new Map<string, KeyObject>();
  for (const keyId of keyIds) {
    const pem = await verifier.publicKeyPem(keyId);
    if (pem) keys.set(keyId, createPublicKey(pem));
  }
  return keys;
}

/**
 * Reads a tenant's chain through the store and verifies it with the pure verifier. Without a
 * range it walks everything from genesis; with one it walks the digested periods overlapping it,
 * anchored to the digest before them (whose signature is checked along with the others).
 */
export async function verifyAuditChain(
  request: VerifyAuditChainRequest,
  store: AuditChainStore,
  verifier: AuditDigestVerifier,
): Promise<AuditChainReport> {
  const { tenantId } = request;
  const allDigests = await readAll(store, await store.listDigestKeys(tenantId));
  const keys = await publicKeysFor(allDigests, verifier);
  const check = ecdsaDigestSignatureCheck(keys);

  if (request.from === undefined && request.to === undefined) {
    const records = await readAll(store, await store.listRecordKeys(tenantId));
    return { tenantId, ...verifyChain(tenantId, records, allDigests, check) };
  }

  const from = request.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(request.from);
  const to = request.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(request.to);
  const periods = allDigests.map((object) => ({ object, digest: parsedDigest(object) }));
  // An unparsable digest stays in the walk so that it is reported, not skipped.
  const overlaps = ({ digest }: (typeof periods)[number]) =>
    digest === undefined || (Date.parse(digest.periodEnd) > from && Date.parse(digest.periodStart) <= to);
  const first = periods.findIndex(overlaps);
  if (first === -1) return { tenantId, ok: true, records: 0, digests: 0 };
  let last = first;
  while (last + 1 < periods.length && overlaps(periods[last + 1] as (typeof periods)[number])) last += 1;
  const inRange = allDigests.slice(first, last + 1);

  let anchor: ChainAnchor = GENESIS_ANCHOR;
  const before = first > 0 ? periods[first - 1] : undefined;
  if (before) {
    const { object, digest } = before;
    if (!digest)
      return {
        tenantId,
        ok: false,
        firstBroken: { kind: 'digest', reason: 'unparsable', objectKey: object.objectKey },
      };
    if (!check(digestSigningPayload(digest), digest.signature)) {
      const firstBroken = {
        kind: 'digest' as const,
        reason: 'signature-invalid' as const,
        periodStart: digest.periodStart,
        objectKey: object.objectKey,
      };
      return { tenantId, ok: false, firstBroken };
    }
    anchor = {
      lastSeq: digest.lastSeq,
      lastRecordHash: digest.lastRecordHash,
      lastDigestHash: digestHashOf(digest),
    };
  }
  const lastDigest = periods[last]?.digest;
  const records = await readAll(
    store,
    await store.listRecordKeys(tenantId, { fromSeq: anchor.lastSeq + 1, toSeq: lastDigest?.lastSeq }),
  );
  return { tenantId, ...verifyChain(tenantId, records, inRange, check, anchor) };
}
