import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPublisherKeyRepository } from '../../../../../../shared/adapters/aws/dynamodb-publisher-key-repository.ts';
import type { PublisherKey } from '../../../../../../shared/ports/publisher-key-repository.ts';
import { createTestTables } from '../../../../../support/dynamodb-tables.ts';

const keyOf = (keyId: string, publisherId = 'pub-acme'): PublisherKey => ({
  keyId,
  publisherId,
  publicKeyPem: 'pem',
  createdAt: '2030-01-01T00:00:00.000Z',
});

describe('DynamoDbPublisherKeyRepository (DynamoDB Local)', () => {
  let keys: DynamoDbPublisherKeyRepository;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    keys = new DynamoDbPublisherKeyRepository(documentClient, names.marketplace, names.audit);
  });

  it('stores a key once and answers the stored key to a second registration', async () => {
    const first = await keys.register(keyOf('pk_once'), []);
    const again = await keys.register(
      {
        ...keyOf('pk_once', 'pub-evil'),
        createdAt: '2031-01-01T00:00:00.000Z',
      },
      [],
    );

    expect(first).toEqual({ key: keyOf('pk_once'), isNew: true });
    expect(again).toEqual({ key: keyOf('pk_once'), isNew: false });
    expect(await keys.get('pk_once')).toEqual(keyOf('pk_once'));
  });

  it('lets exactly one of many concurrent registrations of one key by different publishers win', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, index) => keys.register(keyOf('pk_race', `pub-${index}`), [])),
    );

    const winners = outcomes.filter((outcome) => outcome.isNew);
    expect(winners).toHaveLength(1);
    const owner = winners[0]?.key.publisherId;
    expect(outcomes.every((outcome) => outcome.key.publisherId === owner)).toBe(true);
    expect((await keys.get('pk_race'))?.publisherId).toBe(owner);
  });

  it('revokes only its owner’s key, keeps the first revocation time, and leaves others untouched', async () => {
    await keys.register(keyOf('pk_revoke'), []);

    const foreign = await keys.revoke(
      'pk_revoke',
      {
        revokedAt: '2030-02-01T00:00:00.000Z',
        publisherId: 'pub-evil',
      },
      [],
    );
    const unknown = await keys.revoke('pk_missing', { revokedAt: '2030-02-01T00:00:00.000Z' }, []);
    const owned = await keys.revoke(
      'pk_revoke',
      {
        revokedAt: '2030-03-01T00:00:00.000Z',
        publisherId: 'pub-acme',
      },
      [],
    );
    const repeated = await keys.revoke('pk_revoke', { revokedAt: '2030-04-01T00:00:00.000Z' }, []);

    expect(foreign).toBeUndefined();
    expect(unknown).toBeUndefined();
    expect(await keys.get('pk_missing')).toBeUndefined();
    expect(owned).toEqual({ ...keyOf('pk_revoke'), revokedAt: '2030-03-01T00:00:00.000Z' });
    expect(repeated?.revokedAt).toBe('2030-03-01T00:00:00.000Z');
  });

  it('answers a revoked key, still owned, to a later registration', async () => {
    await keys.register(keyOf('pk_gone'), []);
    await keys.revoke('pk_gone', { revokedAt: '2030-02-01T00:00:00.000Z' }, []);

    const again = await keys.register(keyOf('pk_gone', 'pub-other'), []);

    expect(again).toEqual({
      key: { ...keyOf('pk_gone'), revokedAt: '2030-02-01T00:00:00.000Z' },
      isNew: false,
    });
  });
});
