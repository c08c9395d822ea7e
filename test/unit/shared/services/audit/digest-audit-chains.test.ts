import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalReleaseSigner } from '../../../../../shared/adapters/local/local-release-signer.ts';
import { PemAuditDigestVerifier } from '../../../../../shared/adapters/local/pem-audit-digest-verifier.ts';
import { deliverOutbox } from '../../../../../shared/services/audit/deliver-outbox.ts';
import { digestAuditChains } from '../../../../../shared/services/audit/digest-audit-chains.ts';
import { verifyAuditChain } from '../../../../../shared/services/audit/verify-audit-chain.ts';
import { outboxDeliveryHarness, outboxEntry } from '../../../../support/outbox-delivery-harness.ts';

async function digestHarness() {
  const harness = outboxDeliveryHarness();
  const keyFile = join(mkdtempSync(join(tmpdir(), 'audit-digest-')), 'audit-digest-key.pem');
  const signer = LocalReleaseSigner.fromFile(keyFile, 'local-audit-digest-key');
  const verifier = new PemAuditDigestVerifier(await signer.publicKeyPem());
  const digestDeps = { heads: harness.heads, chainStore: harness.chain, chainWriter: harness.chain, signer };
  const verify = (tenantId: string) => verifyAuditChain({ tenantId }, harness.chain, verifier);
  return { ...harness, keyFile, digestDeps, verify };
}

const records = (prefix: string, count: number, tenantId = 't-one') =>
  Array.from({ length: count }, (_, index) => outboxEntry(`${prefix}${index + 1}`, { tenantId }));

describe('signed digests of the audit chains', () => {
  it('digests each chain since its last digest, chained to it, and the verifier accepts the result', async () => {
    const { deps, digestDeps, verify, chain } = await digestHarness();
    await deliverOutbox(
      [...records('a', 3), ...records('b', 2, 't-two'), outboxEntry('c1', { tenantId: undefined })],
      deps,
    );

    const first = await digestAuditChains(digestDeps);
    await deliverOutbox(records('d', 4), deps);
    const second = await digestAuditChains(digestDeps);

    expect(first).toEqual([
      { tenantId: '_platform', outcome: 'digested', firstSeq: 1, lastSeq: 1 },
      { tenantId: 't-one', outcome: 'digested', firstSeq: 1, lastSeq: 3 },
      { tenantId: 't-two', outcome: 'digested', firstSeq: 1, lastSeq: 2 },
    ]);
    expect(second).toEqual([
      { tenantId: '_platform', outcome: 'up-to-date' },
      { tenantId: 't-one', outcome: 'digested', firstSeq: 4, lastSeq: 7 },
      { tenantId: 't-two', outcome: 'up-to-date' },
    ]);
    expect(await verify('t-one')).toEqual({ tenantId: 't-one', ok: true, records: 7, digests: 2 });
    expect(await verify('t-two')).toMatchObject({ ok: true, records: 2, digests: 1 });
    expect(await verify('_platform')).toMatchObject({ ok: true, records: 1, digests: 1 });
    expect(await chain.listDigestKeys('t-one')).toHaveLength(2);
  });

  it('writes nothing more when run twice, or by a second run that lost the race', async () => {
    const { deps, digestDeps, chain, heads } = await digestHarness();
    await deliverOutbox(records('a', 2), deps);
    await digestAuditChains(digestDeps);
    const objects = new Map(chain.objects);

    expect(await digestAuditChains(digestDeps)).toEqual([{ tenantId: 't-one', outcome: 'up-to-date' }]);
    expect(chain.objects).toEqual(objects);

    await deliverOutbox(records('b', 1), deps);
    const recordDigest = heads.recordDigest.bind(heads);
    heads.recordDigest = async (tenantId, _expected, state) => {
      // Another run recorded this period first.
      await recordDigest(tenantId, 1 + 1, state);
      return false;
    };
    expect(await digestAuditChains(digestDeps)).toEqual([
      { tenantId: 't-one', outcome: 'taken-by-another-run' },
    ]);
  });

  it('writes a digest it recorded but could not write on the next run', async () => {
    const { deps, digestDeps, chain, verify } = await digestHarness();
    await deliverOutbox(records('a', 2), deps);
    chain.failPuts = 1;

    expect(await digestAuditChains(digestDeps)).toEqual([
      expect.objectContaining({ tenantId: 't-one', outcome: 'failed' }),
    ]);
    expect(await chain.listDigestKeys('t-one')).toEqual([]);
    expect(await digestAuditChains(digestDeps)).toEqual([{ tenantId: 't-one', outcome: 'up-to-date' }]);

    expect(await chain.listDigestKeys('t-one')).toHaveLength(1);
    expect(await verify('t-one')).toMatchObject({ ok: true, records: 2, digests: 1 });
  });

  it('is caught when a chained record or a digest is changed afterwards', async () => {
    const { deps, digestDeps, chain, verify, keyFile } = await digestHarness();
    await deliverOutbox(records('a', 3), deps);
    await digestAuditChains(digestDeps);
    expect(readFileSync(keyFile, 'utf8')).toContain('PRIVATE KEY');
    const [recordKey] = await chain.listRecordKeys('t-one', { fromSeq: 2, toSeq: 2 });
    const [digestKey] = await chain.listDigestKeys('t-one');
    const original = {
      record: chain.objects.get(recordKey ?? ''),
      digest: chain.objects.get(digestKey ?? ''),
    };

    chain.objects.set(
      recordKey ?? '',
      (original.record ?? '').replace('"actor":"user:u1"', '"actor":"user:u2"'),
    );
    expect(await verify('t-one')).toMatchObject({
      ok: false,
      firstBroken: { kind: 'record', reason: 'hash-mismatch', seq: 2 },
    });

    chain.objects.set(recordKey ?? '', original.record ?? '');
    const digest = JSON.parse(original.digest ?? '{}') as { lastSeq: number };
    chain.objects.set(digestKey ?? '', JSON.stringify({ ...digest, lastSeq: 2 }));
    expect(await verify('t-one')).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'signature-invalid' },
    });
  });
});
