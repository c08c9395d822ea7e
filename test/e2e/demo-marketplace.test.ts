import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/domain/signatures.ts';
import { exampleBuilds } from '../support/example-builds.ts';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';

const SCOPES = ['plugins:read', 'plugins:admin', 'plugins:invoke'];

/** `npm start`'s demo marketplace is the build of `examples/`, published at start as an author would. */
describe('the local platform demo marketplace', () => {
  let platform: LocalPlatformProcess;
  let acme: Record<string, string>;

  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...acme },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
    acme = { authorization: `Bearer ${await platform.token('t-acme', SCOPES, 'demo-e2e')}` };
  }, 120_000);

  afterAll(async () => platform?.stop());

  it('lists the three examples at their manifest versions, with the bytes their builds make', async () => {
    const builds = await exampleBuilds();

    const listed = await jsonOf(await send('GET', '/v1/marketplace/plugins?limit=50'));
    const pages = await Promise.all(
      builds.map(async ({ manifest }) => jsonOf(await send('GET', `/v1/marketplace/plugins/${manifest.id}`))),
    );

    const versions = Object.fromEntries(
      listed.items.map((item: { pluginId: string; latestVersion: string }) => [
        item.pluginId,
        item.latestVersion,
      ]),
    );
    expect(versions).toEqual({
      'patient-summary': '1.0.0',
      'appointment-reminder': '1.2.0',
      'no-show-tracker': '0.9.0',
    });
    for (const [index, { manifest, code }] of builds.entries()) {
      expect(pages[index]).toMatchObject({
        manifest: { id: manifest.id, version: manifest.version, metadata: manifest.metadata },
        publisher: { publisherId: 'gradiant-demo', isVerified: true },
        versions: [{ version: manifest.version, sha256: sha256Hex(code), security: { status: 'clean' } }],
      });
    }
  });

  it('installs, enables and invokes appointment-reminder and patient-summary against the demo EHR', async () => {
    for (const [id, version] of [
      ['appointment-reminder', '1.2.0'],
      ['patient-summary', '1.0.0'],
    ]) {
      expect((await send('POST', `/v1/marketplace/plugins/${id}/versions/${version}/install`)).status).toBe(
        201,
      );
      expect((await send('POST', `/v1/plugins/${id}/enable`)).status).toBe(200);
    }

    const reminder = await send('POST', '/v1/plugins/appointment-reminder/invoke', {
      input: { patientId: 'p-001', start: '2030-01-01T09:00:00Z' },
    });
    const summary = await send('POST', '/v1/plugins/patient-summary/invoke', { input: {} });

    expect(reminder.status).toBe(200);
    expect(await jsonOf(reminder)).toMatchObject({
      ok: true,
      value: { patientId: 'p-001', reminder: expect.stringMatching(/, see you on 2030-01-01T09:00:00Z\.$/) },
    });
    expect(summary.status).toBe(200);
    const { value } = await jsonOf(summary);
    expect(value.total).toBe(12);
    expect(Object.values(value.byGender).reduce((sum: number, count) => sum + Number(count), 0)).toBe(12);
  });
});
