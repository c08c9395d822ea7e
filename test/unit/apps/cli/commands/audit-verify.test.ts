import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditVerifyCommand } from '../../../../../apps/cli/commands/audit-verify.ts';
import { PemAuditDigestVerifier } from '../../../../../shared/adapters/local/pem-audit-digest-verifier.ts';
import type { ChainedRecord } from '../../../../../shared/domain/audit-chain/chain-format.ts';
import { buildTestChain, CHAIN_TENANT, recordObject, signingKey } from '../../../../support/audit-chain.ts';
import { captureCli } from '../../../../support/cli-run.ts';
import { InMemoryAuditChainStore } from '../../../../support/fakes/in-memory-audit-chain-store.ts';

const key = signingKey();
const chain = buildTestChain(key);
const publicPem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const keyFile = join(mkdtempSync(join(tmpdir(), 'audit-verify-')), 'digest-key.pub.pem');
writeFileSync(keyFile, publicPem);

function cli(store: InMemoryAuditChainStore, ...argv: string[]) {
  const command = createAuditVerifyCommand({
    store: () => store,
    verifier: () => new PemAuditDigestVerifier(publicPem),
  });
  return captureCli(argv, { commands: [command] });
}

const BASE = ['audit', 'verify', '--bucket', 'b', '--tenant', CHAIN_TENANT, '--public-key', keyFile];
const untouched = () => new InMemoryAuditChainStore([...chain.recordObjects, ...chain.digestObjects]);

describe('gradiant-plugins audit verify', () => {
  it('exits 0 with a one-line summary for an untouched chain', async () => {
    const result = await cli(untouched(), ...BASE);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ tenantId: CHAIN_TENANT, ok: true, records: 10, digests: 3 });
  });

  it('exits 1 and names the first broken link, never record contents', async () => {
    const store = untouched();
    const target = chain.recordObjects[4];
    store.objects.set(
      target?.objectKey as string,
      JSON.stringify({ ...chain.records[4], recordId: 'forged' }),
    );
    const result = await cli(store, ...BASE);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      tenantId: CHAIN_TENANT,
      ok: false,
      firstBroken: { kind: 'record', reason: 'hash-mismatch', seq: 5, objectKey: target?.objectKey },
    });
    expect(result.stdout).not.toContain('plugin:invoke');
    expect(result.stdout).not.toContain('p-4');
  });

  it('verifies every tenant in the bucket without --tenant, and fails when any chain is broken', async () => {
    const all = ['audit', 'verify', '--bucket', 'b', '--public-key', keyFile];
    const intact = await cli(untouched(), ...all);
    const empty = await cli(new InMemoryAuditChainStore(), ...all);
    const store = untouched();
    store.objects.delete(chain.recordObjects[1]?.objectKey as string);
    const broken = await cli(store, ...all);

    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.stdout)).toEqual({ tenantId: CHAIN_TENANT, ok: true, records: 10, digests: 3 });
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual({ ok: true, tenants: 0 });
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ tenantId: CHAIN_TENANT, ok: false });
  });

  it('exits 1 when a record was deleted', async () => {
    const store = untouched();
    store.objects.delete(chain.recordObjects[2]?.objectKey as string);
    const result = await cli(store, ...BASE);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).firstBroken).toMatchObject({ reason: 'sequence-gap', seq: 3 });
  });

  it('verifies a time range anchored to the digest before it', async () => {
    const range = [
      '--from',
      chain.digests[1]?.periodStart as string,
      '--to',
      chain.digests[2]?.periodStart as string,
    ];
    const result = await cli(untouched(), ...BASE, ...range);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ tenantId: CHAIN_TENANT, ok: true, records: 6, digests: 2 });

    const store = untouched();
    store.objects.set(
      chain.recordObjects[1]?.objectKey as string,
      recordObject({ ...(chain.records[1] as ChainedRecord), hash: 'f'.repeat(64) }).text,
    );
    // Record 2 is before the range: the range walk does not read it; record 5 is inside it.
    expect((await cli(store, ...BASE, ...range)).code).toBe(0);
    store.objects.delete(chain.recordObjects[4]?.objectKey as string);
    expect((await cli(store, ...BASE, ...range)).code).toBe(1);
  });

  it('exits 2 on usage errors', async () => {
    expect(
      (await cli(untouched(), 'audit', 'verify', '--tenant', CHAIN_TENANT, '--public-key', keyFile)).code,
    ).toBe(2);
    expect((await cli(untouched(), 'audit', 'verify', '--bucket', 'b', '--tenant', CHAIN_TENANT)).code).toBe(
      2,
    );
    expect((await cli(untouched(), ...BASE, '--kms-key-id', 'k')).code).toBe(2);
    expect(
      (await cli(untouched(), 'audit', 'list', '--bucket', 'b', '--tenant', 't', '--public-key', keyFile))
        .code,
    ).toBe(2);
    expect((await cli(untouched(), ...BASE, '--from', 'yesterday')).code).toBe(2);
    expect((await cli(untouched(), ...BASE, '--nope')).code).toBe(2);
  });
});
