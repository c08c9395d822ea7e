import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsOsvExport } from '../../shared/adapters/osv/https-osv-export.ts';

/** 64 MB of zeros deflates to a few tens of KB: a small download that would unpack enormous. */
const bomb = zipSync({ 'GHSA-bomb.json': new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/zip' });
    response.end(bomb);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/npm/all.zip`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('an OSV export that is a zip bomb', () => {
  it('is refused from the sizes the zip declares, before anything is inflated', async () => {
    const source = new HttpsOsvExport({
      url,
      maxBytes: 1024 * 1024,
      timeoutMs: 5_000,
      allowLoopbackHttp: true,
    });

    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await expect(source.download()).rejects.toThrow('unzips beyond its cap');
  });
});
