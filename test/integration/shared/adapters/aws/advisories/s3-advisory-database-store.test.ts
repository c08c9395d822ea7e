import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStandIn } from '../../../../../../apps/local-platform/stand-ins/dynamodb-local.ts';
import { startS3Local } from '../../../../../../apps/local-platform/stand-ins/s3-local.ts';
import {
  ADVISORY_DATABASE_KEY,
  S3AdvisoryDatabaseStore,
} from '../../../../../../shared/adapters/aws/s3-advisory-database-store.ts';
import { osvRecord } from '../../../../../support/fakes/in-memory-advisory-database.ts';

const BUCKET = 'artifacts';
let s3Local: RunningStandIn;
let s3: S3Client;

beforeAll(async () => {
  s3Local = await startS3Local({
    directory: join(mkdtempSync(join(tmpdir(), 'advisory-store-')), 's3'),
    buckets: [BUCKET],
  });
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: s3Local.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});

afterAll(async () => {
  s3.destroy();
  await s3Local.stop();
});

describe('the advisory database in S3 (s3rver)', () => {
  it('answers nothing before the first write, then the records and version written', async () => {
    const store = new S3AdvisoryDatabaseStore(s3, BUCKET);
    expect(await store.read()).toBeUndefined();

    await store.write([osvRecord('GHSA-0001', 'left-pad')], 'sha256:abc');

    expect(await store.read()).toEqual({
      version: 'sha256:abc',
      records: [osvRecord('GHSA-0001', 'left-pad')],
    });
  });

  it('fails a read of a damaged object instead of answering an empty set', async () => {
    const store = new S3AdvisoryDatabaseStore(s3, BUCKET);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: ADVISORY_DATABASE_KEY, Body: 'not gzip' }));

    await expect(store.read()).rejects.toThrow();
  });
});
