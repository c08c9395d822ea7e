import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3UploadPresigner } from '../../../../../../shared/adapters/aws/s3-upload-presigner.ts';

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const s3 = mockClient(client);
const bytes = (text: string) => ({ transformToByteArray: async () => new Uint8Array(Buffer.from(text)) });

describe('S3UploadPresigner', () => {
  const presigner = new S3UploadPresigner(client, 'artifact-bucket');

  beforeEach(() => s3.reset());

  it('presigns a short-lived PUT into the publisher’s own staging key, with the length signed', async () => {
    const upload = await presigner.createUpload({
      publisherId: 'pub-acme',
      uploadId: '00000000-0000-4000-8000-000000000001',
      sizeBytes: 2048,
      sha256: 'a'.repeat(64),
    });

    const url = new URL(upload.url);
    expect(url.pathname).toContain('uploads/pub-acme/00000000-0000-4000-8000-000000000001');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-length');
    expect(upload.headers['content-length']).toBe('2048');
  });

  it('reads an upload back, refusing one larger than the limit and answering undefined when absent', async () => {
    s3.on(GetObjectCommand, { Key: 'uploads/pub-acme/small' }).resolves({
      ContentLength: 5,
      Body: bytes('hello'),
    } as never);
    s3.on(GetObjectCommand, { Key: 'uploads/pub-acme/large' }).resolves({
      ContentLength: 5000,
      Body: bytes('x'),
    } as never);
    s3.on(GetObjectCommand, { Key: 'uploads/pub-acme/absent' }).rejects(
      Object.assign(new Error('gone'), { name: 'NoSuchKey' }),
    );

    expect(Buffer.from((await presigner.readUpload('pub-acme', 'small', 100)) ?? []).toString()).toBe(
      'hello',
    );
    expect(await presigner.readUpload('pub-acme', 'large', 100)).toBeUndefined();
    expect(await presigner.readUpload('pub-acme', 'absent', 100)).toBeUndefined();
  });
});
