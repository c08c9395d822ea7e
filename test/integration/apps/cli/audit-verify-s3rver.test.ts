import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../apps/cli/cli.ts';
import type { RunningStandIn } from '../../../../apps/local-platform/stand-ins/dynamodb-local.ts';
import { startS3Local } from '../../../../apps/local-platform/stand-ins/s3-local.ts';
import { buildTestChain, CHAIN_TENANT, signingKey } from '../../../support/audit-chain.ts';

const BUCKET = 'compliance-log';
const key = signingKey();
const chain = buildTestChain(key);
const directory = mkdtempSync(join(tmpdir(), 'audit-verify-s3rver-'));
const keyFile = join(directory, 'digest-key.pub.pem');
writeFileSync(keyFile, key.publicKey.export({ format: 'pem', type: 'spki' }));

let s3Local: RunningStandIn;
let s3: S3Client;

async function cli(...argv: string[]) {
  let stdout = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: () => {},
    env: {},
    fetch: globalThis.fetch,
  });
  return { code, stdout };
}

const verify = () =>
  cli(
    'audit',
    'verify',
    '--bucket',
    BUCKET,
    '--endpoint',
    s3Local.endpoint,
    '--tenant',
    CHAIN_TENANT,
    '--public-key',
    keyFile,
  );

beforeAll(async () => {
  s3Local = await startS3Local({ directory: join(directory, 's3'), buckets: [BUCKET] });
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: s3Local.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  for (const object of [...chain.recordObjects, ...chain.digestObjects]) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: object.objectKey, Body: object.text }));
  }
});

afterAll(async () => {
  s3.destroy();
  await s3Local.stop();
});

describe('audit verify against s3rver', () => {
  it('finds every tenant chain in the bucket when no --tenant is given', async () => {
    const all = await cli(
      'audit',
      'verify',
      '--bucket',
      BUCKET,
      '--endpoint',
      s3Local.endpoint,
      '--public-key',
      keyFile,
    );

    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ tenantId: CHAIN_TENANT, ok: true, records: 10, digests: 3 });
  });

  it('verifies the chain written to the bucket, then catches tampering in place', async () => {
    const clean = await verify();
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ tenantId: CHAIN_TENANT, ok: true, records: 10, digests: 3 });

    const digestKey = chain.digestObjects[1]?.objectKey as string;
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: digestKey }));
    const deleted = await verify();
    expect(deleted.code).toBe(1);
    expect(JSON.parse(deleted.stdout).firstBroken).toMatchObject({
      kind: 'digest',
      reason: 'missing-digest',
    });
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: digestKey, Body: chain.digestObjects[1]?.text }),
    );

    const recordKey = chain.recordObjects[7]?.objectKey as string;
    const altered = JSON.stringify({ ...chain.records[7], recordedAt: '2026-12-01T09:00:00.000Z' });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: recordKey, Body: altered }));
    const tampered = await verify();
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout).firstBroken).toEqual({
      kind: 'record',
      reason: 'hash-mismatch',
      seq: 8,
      objectKey: recordKey,
    });
  });
});
