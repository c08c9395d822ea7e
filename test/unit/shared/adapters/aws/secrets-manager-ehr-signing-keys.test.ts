import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { JSONWebKeySet } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretsManagerEhrSigningKeys } from '../../../../../shared/adapters/aws/secrets-manager-ehr-signing-keys.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { privateMembersIn, verifyAgainstJwks } from '../../../../support/ehr-signing-assertions.ts';

const acme = TenantIdSchema.parse('t-acme');
const secrets = mockClient(SecretsManagerClient);
const notFound = () => new ResourceNotFoundException({ message: 'no such secret', $metadata: {} });

const claims = (aud = 'https://ehr.example.org/oauth/token') => ({
  iss: 'gradiant-acme',
  sub: 'gradiant-acme',
  aud,
  jti: 'jti-1',
  exp: Math.floor(Date.now() / 1000) + 240,
});

/** A mock Secrets Manager holding secrets by name, as the service does. */
function storeSecrets() {
  const stored = new Map<string, string>();
  secrets.on(GetSecretValueCommand).callsFake(({ SecretId }) => {
    const value = stored.get(SecretId);
    if (value === undefined) throw notFound();
    return { SecretString: value };
  });
  secrets.on(CreateSecretCommand).callsFake(({ Name, SecretString }) => {
    if (stored.has(Name)) throw new ResourceExistsException({ message: 'exists', $metadata: {} });
    stored.set(Name, SecretString);
    return {};
  });
  secrets.on(PutSecretValueCommand).callsFake(({ SecretId, SecretString }) => {
    stored.set(SecretId, SecretString);
    return {};
  });
  return stored;
}

const keysFor = () =>
  createSecretsManagerEhrSigningKeys(new SecretsManagerClient({ region: 'us-east-1' }), {
    prefix: 'gradiant-plugins',
    kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/data',
  });

describe('Secrets Manager EHR signing keys', () => {
  beforeEach(() => secrets.reset());

  it('creates one tagged, KMS-encrypted secret per tenant under the prefix', async () => {
    storeSecrets();

    const kid = await keysFor().ensure(acme, 'ES384');

    const [create] = secrets.commandCalls(CreateSecretCommand);
    expect(create?.args[0].input).toMatchObject({
      Name: 'gradiant-plugins/ehr-signing/t-acme',
      KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/data',
      Tags: [{ Key: 'tenant_id', Value: 't-acme' }],
    });
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each(['ES384', 'RS384'] as const)(
    'publishes a %s key that verifies the signed assertion',
    async (alg) => {
      storeSecrets();
      const keys = keysFor();
      const kid = await keys.ensure(acme, alg);

      const assertion = await keys.signClientAssertion(acme, kid, claims());
      const jwks = { keys: await keys.publicKeys(acme) } as JSONWebKeySet;
      const { payload, protectedHeader } = await verifyAgainstJwks(
        assertion,
        jwks,
        'https://ehr.example.org/oauth/token',
      );

      expect(protectedHeader).toEqual({ alg, kid, typ: 'JWT' });
      expect(payload).toMatchObject({ iss: 'gradiant-acme', sub: 'gradiant-acme', jti: 'jti-1' });
      expect(privateMembersIn(jwks)).toEqual([]);
      expect(jwks.keys).toEqual([expect.objectContaining({ kid, alg, use: 'sig' })]);
    },
  );

  it('stores private JWKs whose kid is their thumbprint, and reuses the key on the next ensure', async () => {
    const stored = storeSecrets();
    const keys = keysFor();

    const first = await keys.ensure(acme, 'ES384');
    const again = await keysFor().ensure(acme, 'ES384');

    const secret = JSON.parse(stored.get('gradiant-plugins/ehr-signing/t-acme') ?? '{}');
    expect(secret.keys[0]).toMatchObject({ kid: first, kty: 'EC', crv: 'P-384', d: expect.any(String) });
    expect(again).toBe(first);
    expect(secrets.commandCalls(CreateSecretCommand)).toHaveLength(1);
  });

  it('uses the winner’s key when a concurrent first save created the secret first', async () => {
    const stored = storeSecrets();
    const winner = keysFor();
    const winnerKid = await winner.ensure(acme, 'ES384');
    const loser = keysFor();
    // The loser read before the winner wrote: its first read answers "none".
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(notFound())
      .callsFake(({ SecretId }) => ({
        SecretString: stored.get(SecretId),
      }));

    const loserKid = await loser.ensure(acme, 'ES384');

    expect(loserKid).toBe(winnerKid);
  });

  it('answers an empty key set for a tenant with no secret, the same as any unknown tenant', async () => {
    storeSecrets();

    expect(await keysFor().publicKeys(TenantIdSchema.parse('t-nobody'))).toEqual([]);
  });

  it('signs from the instance cache without reading the secret again', async () => {
    storeSecrets();
    const keys = keysFor();
    const kid = await keys.ensure(acme, 'ES384');
    const reads = secrets.commandCalls(GetSecretValueCommand).length;

    await keys.signClientAssertion(acme, kid, claims());
    await keys.signClientAssertion(acme, kid, claims());

    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(reads);
  });

  it('refuses to sign with a key the tenant does not have', async () => {
    storeSecrets();
    const keys = keysFor();
    await keys.ensure(acme, 'ES384');

    await expect(keys.signClientAssertion(acme, 'not-a-kid', claims())).rejects.toThrow(/no signing key/);
  });
});
