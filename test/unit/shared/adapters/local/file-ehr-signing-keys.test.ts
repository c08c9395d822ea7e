import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createFileEhrSigningKeys } from '../../../../../shared/adapters/local/file-ehr-signing-keys.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { privateMembersIn, verifyAgainstJwks } from '../../../../support/ehr-signing-assertions.ts';

const acme = TenantIdSchema.parse('t-acme');

describe('file EHR signing keys', () => {
  it('keeps the key set in an owner-only file that a new instance reads back', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'ehr-keys-')), 'ehr');

    const kid = await createFileEhrSigningKeys(directory).ensure(acme, 'ES384');
    const later = createFileEhrSigningKeys(directory);

    expect(statSync(join(directory, 't-acme.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(directory)).toEqual(['t-acme.json']);
    expect(await later.ensure(acme, 'ES384')).toBe(kid);
    expect(JSON.parse(readFileSync(join(directory, 't-acme.json'), 'utf8')).keys[0].d).toEqual(
      expect.any(String),
    );
  });

  it('lets exactly one of two concurrent first saves create the key', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ehr-keys-'));

    const kids = await Promise.all([
      createFileEhrSigningKeys(directory).ensure(acme, 'ES384'),
      createFileEhrSigningKeys(directory).ensure(acme, 'ES384'),
    ]);

    expect(kids[0]).toBe(kids[1]);
  });

  it('publishes public keys only, which verify the signed assertion', async () => {
    const keys = createFileEhrSigningKeys(mkdtempSync(join(tmpdir(), 'ehr-keys-')));
    const kid = await keys.ensure(acme, 'RS384');
    const aud = 'http://127.0.0.1:4010/oauth/token';

    const assertion = await keys.signClientAssertion(acme, kid, {
      iss: 'c',
      sub: 'c',
      aud,
      jti: 'j',
      exp: Math.floor(Date.now() / 1000) + 60,
    });
    const jwks = { keys: await keys.publicKeys(acme) } as JSONWebKeySet;

    await expect(verifyAgainstJwks(assertion, jwks, aud)).resolves.toBeDefined();
    expect(privateMembersIn(jwks)).toEqual([]);
  });
});
