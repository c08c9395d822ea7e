import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorCodec, MAX_CURSOR_LENGTH } from '../../../../shared/http/cursor-codec.ts';
import { toProblem } from '../../../../shared/http/problem.ts';
import { testCursorCodec } from '../../../support/test-cursors.ts';

const acme = { tenantId: 't-acme', list: 'installations' };
const position = JSON.stringify({ PK: 'TENANT#t-acme', SK: 'INSTALL#lab-viewer' });

describe('CursorCodec', () => {
  const codec = testCursorCodec();

  it('opens what it sealed for the same tenant and list', async () => {
    const cursor = await codec.seal(position, acme);

    expect(await codec.open(cursor, acme)).toBe(position);
    expect(cursor).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('opens no cursor as the first page', async () => {
    expect(await codec.open(undefined, acme)).toBeUndefined();
  });

  it('refuses a cursor sealed for another tenant or another list', async () => {
    const cursor = await codec.seal(position, acme);

    for (const scope of [
      { tenantId: 't-globex', list: 'installations' },
      { tenantId: 't-acme', list: 'plugin-updates' },
      { tenantId: 't-acme', list: 'reviews:lab-viewer' },
    ]) {
      await expect(codec.open(cursor, scope)).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
        field: 'query.cursor',
      });
    }
  });

  it('keeps tenant and list apart inside the MAC', async () => {
    const cursor = await codec.seal(position, { tenantId: 't-a', list: 'b:c' });

    await expect(codec.open(cursor, { tenantId: 't-a:b', list: 'c' })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('refuses a cursor sealed with another key', async () => {
    const cursor = await testCursorCodec().seal(position, acme);

    await expect(codec.open(cursor, acme)).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('refuses an edited position with the original MAC', async () => {
    const [version, , mac] = (await codec.seal(position, acme)).split('.');
    const edited = Buffer.from(JSON.stringify({ PK: 'TENANT#t-acme', SK: 1 })).toString('base64url');

    await expect(codec.open(`${version}.${edited}.${mac}`, acme)).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('refuses the bare base64 JSON cursors the API used to issue', async () => {
    const legacy = Buffer.from(position).toString('base64url');

    await expect(codec.open(legacy, acme)).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('refuses an oversized cursor before computing anything', async () => {
    const keys = { key: async () => randomBytes(32), calls: 0 };
    const counting = new CursorCodec({
      key: () => {
        keys.calls += 1;
        return keys.key();
      },
    });

    await expect(
      counting.open(`v1.${'A'.repeat(MAX_CURSOR_LENGTH)}.${'A'.repeat(43)}`, acme),
    ).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    expect(keys.calls).toBe(0);
  });

  it('refuses to work with a key shorter than 32 bytes', async () => {
    const weak = new CursorCodec({ key: async () => new Uint8Array(16) });

    await expect(weak.seal(position, acme)).rejects.toThrow(/at least 32 bytes/);
  });

  it('seals the next cursor of a page and passes the opened position to the list', async () => {
    const seen: (string | undefined)[] = [];
    const list = async (at: string | undefined) => {
      seen.push(at);
      return { items: [1], nextCursor: at === undefined ? 'second' : undefined };
    };

    const first = await codec.page(undefined, acme, list);
    const second = await codec.page(first.nextCursor, acme, list);

    expect(seen).toEqual([undefined, 'second']);
    expect(first.nextCursor).not.toBe('second');
    expect(second).toEqual({ items: [1], nextCursor: undefined });
  });

  it('answers any string that is not a sealed cursor with a 400 INVALID_CURSOR problem (property)', async () => {
    const genuine = await codec.seal(position, acme);
    const tampered = fc
      .tuple(fc.nat({ max: genuine.length - 1 }), fc.constantFrom(...'ABCabc012-_.'))
      .map(([at, character]) => `${genuine.slice(0, at)}${character}${genuine.slice(at + 1)}`)
      .filter((cursor) => cursor !== genuine);

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 3000 }), fc.base64String(), tampered),
        async (cursor) => {
          const error = await codec.open(cursor, acme).then(
            () => undefined,
            (caught: unknown) => caught,
          );

          expect(toProblem(error, 'req')).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('CursorCodec MAC encoding', () => {
  it('refuses a second spelling of the same MAC', async () => {
    const codec = testCursorCodec();
    const cursor = await codec.seal(position, acme);
    const last = cursor.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;

    await expect(codec.open(`${cursor.slice(0, -1)}${sibling}`, acme)).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });
});
