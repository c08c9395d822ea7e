import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';

const base64Json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Cursors used to be base64 JSON of DynamoDB's LastEvaluatedKey (or a search offset), so a
 * caller could write their own. Measured against the local platform (DynamoDB Local) before the
 * fix: a sort key of the wrong type, an extra attribute, a key outside the query's range or a
 * partition-only key each answered 500 on GET /v1/plugins and GET /v1/plugins/updates. Now every
 * cursor is sealed with an HMAC over tenant, list and position: anything else is a 400
 * INVALID_CURSOR problem before DynamoDB sees it, and a genuine cursor opens only where it was
 * issued.
 */
describe('forged pagination cursor', () => {
  let platform: LocalPlatformProcess;
  let acme: Record<string, string>;
  let globex: Record<string, string>;

  const get = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${platform.url}${path}`, { headers });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await jsonOf(response),
    };
  };
  const withCursor = (path: string, cursor: string) =>
    `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
  const expectInvalidCursor = (answer: Awaited<ReturnType<typeof get>>) => {
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ code: 'INVALID_CURSOR', errors: [{ field: 'query.cursor' }] });
  };

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
    acme = { authorization: `Bearer ${await platform.token('t-acme', ['plugins:read', 'plugins:admin'])}` };
    globex = {
      authorization: `Bearer ${await platform.token('t-globex', ['plugins:read', 'plugins:admin'])}`,
    };
    for (const [id, version] of [
      ['appointment-reminder', '1.2.0'],
      ['patient-summary', '1.0.0'],
    ]) {
      const installed = await fetch(
        `${platform.url}/v1/marketplace/plugins/${id}/versions/${version}/install`,
        {
          method: 'POST',
          headers: acme,
        },
      );
      expect(installed.status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => platform?.stop());

  const LISTS = [
    '/v1/plugins',
    '/v1/plugins/updates',
    '/v1/marketplace/plugins/appointment-reminder/reviews',
    '/v1/marketplace/plugins?query=reminder',
  ];
  const FORGED = {
    'a sort key of the wrong type': base64Json({ PK: 'TENANT#t-acme', SK: 1 }),
    'an extra key attribute': base64Json({ PK: 'TENANT#t-acme', SK: 'INSTALL#a', GSI1PK: 'x' }),
    'a key outside the query range': base64Json({ PK: 'TENANT#t-acme', SK: 'POLICY' }),
    'a partition-only key': base64Json({ PK: 'TENANT#t-acme' }),
    'an empty sort key': base64Json({ PK: 'TENANT#t-acme', SK: '' }),
    'a plausible key of the old format': base64Json({
      PK: 'TENANT#t-acme',
      SK: 'INSTALL#appointment-reminder',
    }),
    "another tenant's key": base64Json({ PK: 'TENANT#t-globex', SK: 'INSTALL#a' }),
    'a search offset past the end': base64Json({ o: 9_999_999, f: 'x' }),
    'a sealed-looking cursor with a made-up MAC': `v1.${base64Json({ PK: 'TENANT#t-acme', SK: 1 })}.${'A'.repeat(43)}`,
    'an empty cursor': '',
    'a huge cursor': 'A'.repeat(8_000),
    'not base64 at all': 'not-base64!!',
  };

  it.each(LISTS)('answers every forged cursor on %s with 400 INVALID_CURSOR, never a 500', async (path) => {
    for (const cursor of Object.values(FORGED)) {
      expectInvalidCursor(await get(withCursor(path, cursor), acme));
    }
  });

  it('pages with the cursors it issues', async () => {
    const first = await get('/v1/plugins?limit=1', acme);
    const second = await get(withCursor('/v1/plugins?limit=1', first.body.nextCursor), acme);

    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toMatch(/^v1\./);
    expect(second.status).toBe(200);
    expect(second.body.nextCursor).toBeUndefined();
    expect(
      [...first.body.items, ...second.body.items].map((item: { pluginId: string }) => item.pluginId).sort(),
    ).toEqual(['appointment-reminder', 'patient-summary']);
  });

  it('refuses a genuine cursor replayed by another tenant, on another list or edited', async () => {
    const { nextCursor } = (await get('/v1/plugins?limit=1', acme)).body as { nextCursor: string };
    const [version, position, mac] = nextCursor.split('.');
    const edited = Buffer.from(
      Buffer.from(position as string, 'base64url')
        .toString('utf8')
        .replace('t-acme', 't-globex'),
    ).toString('base64url');

    expectInvalidCursor(await get(withCursor('/v1/plugins?limit=1', nextCursor), globex));
    expectInvalidCursor(await get(withCursor('/v1/plugins/updates?limit=1', nextCursor), acme));
    expectInvalidCursor(await get(withCursor('/v1/plugins?limit=1', `${version}.${edited}.${mac}`), acme));
  });

  it('refuses a search cursor on another query or another list', async () => {
    const first = await get('/v1/marketplace/plugins?limit=1', acme);
    const cursor = first.body.nextCursor as string;

    expect(first.status).toBe(200);
    expect((await get(withCursor('/v1/marketplace/plugins?limit=1', cursor), acme)).status).toBe(200);
    expectInvalidCursor(
      await get(withCursor('/v1/marketplace/plugins?limit=1&query=reminder', cursor), acme),
    );
    expectInvalidCursor(await get(withCursor('/v1/plugins?limit=1', cursor), acme));
    expectInvalidCursor(await get(withCursor('/v1/marketplace/plugins?limit=1', cursor), globex));
  });
});
