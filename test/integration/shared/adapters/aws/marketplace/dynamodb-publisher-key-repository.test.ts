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
    keys = new DynamoDbPublisherKeyRepository(documentClient, names.marketplace);
  });

  it('stores a key once and answers the stored key to a second registration', async () => {
    const first = await keys.register(keyOf('pk_once'));
    const again = await keys.register({
      ...keyOf('pk_once', 'pub-evil'),
      createdAt: '2031-01-01T00:00:00.000Z',
    });

    expect(first).toEqual({ key: keyOf('pk_once'), isNew: true });
    expect(again).toEqual({ key: keyOf('pk_once'), isNew: false });
    expect(await keys.get('pk_once')).toEqual(keyOf('pk_once'));
  });

  it('lets exactly one of many concurrent registrations of one key by different publishers win', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, index) => keys.register(keyOf('pk_race', `pub-${index}`))),
    );

    const winners = outcomes.filter((outcome) => outcome.isNew);
    expect(winners).toHaveLength(1);
    const owner = winners[0]?.key.publisherId;
    expect(outcomes.every((outcome) => outcome.key.publisherId === owner)).toBe(true);
    expect((await keys.get('pk_race'))?.publisherId).toBe(owner);
  });
});
