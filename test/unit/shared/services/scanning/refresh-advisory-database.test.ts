import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpsOsvExport } from '../../../../../shared/adapters/osv/https-osv-export.ts';
import { asPrivateAdvisory } from '../../../../../shared/services/scanning/private-advisories.ts';
import { refreshAdvisoryDatabase } from '../../../../../shared/services/scanning/refresh-advisory-database.ts';
import {
  InMemoryAdvisoryDatabaseStore,
  osvRecord,
} from '../../../../support/fakes/in-memory-advisory-database.ts';

const pypiRecord = {
  ...osvRecord('PYSEC-1', 'requests'),
  affected: [{ package: { ecosystem: 'PyPI', name: 'requests' } }],
};

function exportZip(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A plain-HTTP stand-in for OSV's bucket on the loopback interface (the machine has no network). */
async function serve(body: Uint8Array): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.byteLength });
    response.end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/npm/all.zip`;
}

const exportFrom = (url: string, maxBytes = 1_000_000) =>
  new HttpsOsvExport({ url, maxBytes, timeoutMs: 5_000, allowLoopbackHttp: true });

describe('refreshAdvisoryDatabase over the export download', () => {
  it('parses the zip, keeps npm records, skips and counts invalid ones, and writes the store', async () => {
    const url = await serve(
      exportZip({
        'GHSA-0001.json': JSON.stringify(osvRecord('GHSA-0001', 'left-pad')),
        'GHSA-0002.json': JSON.stringify(osvRecord('GHSA-0002', 'lodash')),
        'PYSEC-1.json': JSON.stringify(pypiRecord),
        'broken.json': '{ not json',
        'no-id.json': JSON.stringify({ modified: '2030-01-01T00:00:00Z', affected: [] }),
      }),
    );
    const store = new InMemoryAdvisoryDatabaseStore();

    const outcome = await refreshAdvisoryDatabase({ source: exportFrom(url), store });

    expect(outcome).toMatchObject({ records: 2, invalid: 2, otherEcosystems: 1, isChanged: true });
    expect(store.stored?.version).toBe(outcome.databaseVersion);
    expect(store.stored?.records.map((record) => record.id).sort()).toEqual(['GHSA-0001', 'GHSA-0002']);
  });

  it('writes only when the set changed', async () => {
    const url = await serve(
      exportZip({ 'GHSA-0001.json': JSON.stringify(osvRecord('GHSA-0001', 'left-pad')) }),
    );
    const store = new InMemoryAdvisoryDatabaseStore();
    const first = await refreshAdvisoryDatabase({ source: exportFrom(url), store });

    const second = await refreshAdvisoryDatabase({ source: exportFrom(url), store });

    expect(second).toMatchObject({ isChanged: false, databaseVersion: first.databaseVersion });
    expect(store.writes).toBe(1);
  });

  it('keeps the private advisories an admin added beside the export', async () => {
    const url = await serve(
      exportZip({ 'GHSA-0001.json': JSON.stringify(osvRecord('GHSA-0001', 'left-pad')) }),
    );
    const store = new InMemoryAdvisoryDatabaseStore();
    store.stored = {
      version: 'old',
      records: [asPrivateAdvisory(osvRecord('LOCAL-1', 'left-pad')), osvRecord('GHSA-9999', 'withdrawn-one')],
    };

    await refreshAdvisoryDatabase({ source: exportFrom(url), store });

    expect(store.stored?.records.map((record) => record.id).sort()).toEqual(['GHSA-0001', 'LOCAL-1']);
  });

  it('refuses an export beyond its size cap and leaves the store as it was', async () => {
    const url = await serve(
      exportZip({ 'GHSA-0001.json': JSON.stringify(osvRecord('GHSA-0001', 'left-pad')) }),
    );
    const store = new InMemoryAdvisoryDatabaseStore();

    await expect(refreshAdvisoryDatabase({ source: exportFrom(url, 64), store })).rejects.toThrow(RangeError);
    expect(store.writes).toBe(0);
  });

  it('refuses a URL that is not https', () => {
    expect(
      () => new HttpsOsvExport({ url: 'http://osv.example/all.zip', maxBytes: 1, timeoutMs: 1 }),
    ).toThrow('must be https');
    expect(
      () =>
        new HttpsOsvExport({
          url: 'http://203.0.113.7/all.zip',
          maxBytes: 1,
          timeoutMs: 1,
          allowLoopbackHttp: true,
        }),
    ).toThrow('must be https');
  });
});
