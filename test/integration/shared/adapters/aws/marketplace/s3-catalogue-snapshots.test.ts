import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Local } from '../../../../../../apps/local-platform/stand-ins/s3-local.ts';
import { S3CatalogueSnapshots } from '../../../../../../shared/adapters/aws/s3-catalogue-snapshots.ts';
import { CatalogueIndex } from '../../../../../../shared/search/catalogue-index.ts';
import { catalogueEntry } from '../../../../../support/catalogue-entry-factory.ts';

const BUCKET = 'snapshot-test';
let s3Local: Awaited<ReturnType<typeof startS3Local>>;
let s3: S3Client;

beforeAll(async () => {
  s3Local = await startS3Local({
    directory: join(mkdtempSync(join(tmpdir(), 'snapshots-')), 's3'),
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

describe('S3 catalogue snapshots (s3rver)', () => {
  it('answers nothing before the first write, then the entries with the serialized index', async () => {
    const snapshots = new S3CatalogueSnapshots(s3, BUCKET);
    const built = CatalogueIndex.build([
      catalogueEntry('appointment-reminder', { name: 'Appointment Reminder' }),
    ]);
    const before = await snapshots.read();

    await snapshots.write({
      entries: built.listed(),
      takenAt: '2030-01-01T00:00:00.000Z',
      index: built.serialize(),
    });
    const after = await snapshots.read();
    const restored = CatalogueIndex.restore(after?.entries ?? [], after?.index);

    expect(before).toBeUndefined();
    expect(after?.takenAt).toBe('2030-01-01T00:00:00.000Z');
    expect(
      restored
        .query({ text: 'apointment', tags: [], sort: 'relevance', offset: 0, limit: 5 })
        .items.map((item) => item.pluginId),
    ).toEqual(['appointment-reminder']);
  });
});
