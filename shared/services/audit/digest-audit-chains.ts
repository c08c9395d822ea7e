import {
  type AuditDigest,
  AuditDigestSchema,
  buildDigest,
  type ChainedRecord,
  ChainedRecordSchema,
  DIGEST_SIGNING_ALGORITHM,
  digestSigningPayload,
} from '../../domain/audit-chain/chain-format.ts';
import type { AuditChainHeads } from '../../ports/audit-chain-heads.ts';
import type { AuditChainStore, AuditChainWriter } from '../../ports/audit-chain-store.ts';
import type { AuditDigestSigner } from '../../ports/audit-digest-signer.ts';

export interface DigestDependencies {
  readonly heads: AuditChainHeads;
  readonly chainStore: AuditChainStore;
  readonly chainWriter: AuditChainWriter;
  readonly signer: AuditDigestSigner;
}

export type ChainDigestOutcome =
  | {
      readonly tenantId: string;
      readonly outcome: 'digested';
      readonly firstSeq: number;
      readonly lastSeq: number;
    }
  | { readonly tenantId: string; readonly outcome: 'up-to-date' | 'taken-by-another-run' }
  | { readonly tenantId: string; readonly outcome: 'failed'; readonly error: unknown };

/** Ends a millisecond after the period's last record: its chain time is at least that far apart from the next. */
const periodEndAfter = (last: ChainedRecord) => new Date(Date.parse(last.recordedAt) + 1).toISOString();

async function readRecords(
  store: AuditChainStore,
  tenantId: string,
  fromSeq: number,
  toSeq: number,
): Promise<ChainedRecord[]> {
  const keys = await store.listRecordKeys(tenantId, { fromSeq, toSeq });
  const records: ChainedRecord[] = [];
  for (const key of keys) {
    const text = await store.read(key);
    if (text !== undefined) records.push(ChainedRecordSchema.parse(JSON.parse(text)));
  }
  // A link whose object is not written yet (its consumer is retrying) ends the period here: the
  // rest is digested next time.
  const contiguous: ChainedRecord[] = [];
  for (const record of records) {
    if (record.seq !== fromSeq + contiguous.length) break;
    contiguous.push(record);
  }
  return contiguous;
}

/**
 * Signs one digest for one tenant's chain: the records since its last digest (previous digest hash
 * chained), recorded in the digest state conditionally first, so two runs (or a run twice) cannot
 * write two digests for one period; then written to the bucket. A digest recorded but not yet
 * written (the run stopped in between) is written by the next run before anything else.
 */
export async function digestChain(tenantId: string, deps: DigestDependencies): Promise<ChainDigestOutcome> {
  const state = await deps.heads.digestState(tenantId);
  const previous: AuditDigest | undefined = state
    ? AuditDigestSchema.parse(JSON.parse(state.digest))
    : undefined;
  if (previous) await repairWritten(previous, state?.digest ?? '', deps);

  const head = await deps.heads.head(tenantId);
  const lastDigested = state?.lastSeq ?? 0;
  if (!head || head.seq <= lastDigested) return { tenantId, outcome: 'up-to-date' };
  const records = await readRecords(deps.chainStore, tenantId, lastDigested + 1, head.seq);
  const first = records[0];
  const last = records.at(-1);
  if (!first || !last) return { tenantId, outcome: 'up-to-date' };

  const unsigned = buildDigest({
    tenantId,
    periodStart: previous?.periodEnd ?? first.recordedAt,
    periodEnd: periodEndAfter(last),
    records,
    previousDigest: previous,
  });
  const value = await deps.signer.sign(Buffer.from(digestSigningPayload(unsigned), 'utf8'));
  const digest: AuditDigest = {
    ...unsigned,
    signature: { keyId: deps.signer.keyId, algorithm: DIGEST_SIGNING_ALGORITHM, value },
  };
  const text = JSON.stringify(digest);
  const isRecorded = await deps.heads.recordDigest(tenantId, lastDigested, {
    lastSeq: digest.lastSeq,
    periodStart: digest.periodStart,
    digest: text,
  });
  if (!isRecorded) return { tenantId, outcome: 'taken-by-another-run' };
  await deps.chainWriter.putDigest(digest);
  return { tenantId, outcome: 'digested', firstSeq: digest.firstSeq, lastSeq: digest.lastSeq };
}

async function repairWritten(digest: AuditDigest, text: string, deps: DigestDependencies): Promise<void> {
  const keys = await deps.chainStore.listDigestKeys(digest.tenantId, {
    from: digest.periodStart,
    to: digest.periodStart,
  });
  const [key] = keys;
  const stored = key === undefined ? undefined : await deps.chainStore.read(key);
  if (stored !== text) await deps.chainWriter.putDigest(digest);
}

/** The scheduled run: one digest per chain with new records; a tenant's failure does not stop the others. */
export async function digestAuditChains(deps: DigestDependencies): Promise<ChainDigestOutcome[]> {
  const outcomes: ChainDigestOutcome[] = [];
  for (const tenantId of await deps.heads.listChains()) {
    try {
      outcomes.push(await digestChain(tenantId, deps));
    } catch (error) {
      outcomes.push({ tenantId, outcome: 'failed', error });
    }
  }
  return outcomes;
}
