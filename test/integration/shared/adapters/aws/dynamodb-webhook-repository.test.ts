import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbWebhookRepository } from '../../../../../shared/adapters/aws/dynamodb-webhook-repository.ts';
import { MAX_WEBHOOKS_PER_TENANT } from '../../../../../shared/domain/webhooks.ts';
import type { StoredWebhook } from '../../../../../shared/ports/webhook-repository.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

const webhook = (index: number): StoredWebhook => ({
  id: `wh_01HZZZZZZZZZZZZZZZZZZZ${String(index).padStart(4, '0')}`,
  url: `https://hooks.example.org/${index}`,
  eventTypes: ['plugin:enabled'],
  createdAt: '2030-01-07T12:00:00.000Z',
  createdBy: 'admin',
  sealedSecret: `sealed-${index}`,
});

describe('DynamoDbWebhookRepository against DynamoDB Local', () => {
  let tables: Awaited<ReturnType<typeof createTestTables>>;
  let repository: DynamoDbWebhookRepository;

  beforeAll(async () => {
    tables = await createTestTables();
    repository = new DynamoDbWebhookRepository(
      tables.documentClient,
      tables.names.plugins,
      tables.names.audit,
    );
  });

  it(`holds the maximum of ${MAX_WEBHOOKS_PER_TENANT} however many registrations race`, async () => {
    const results = await Promise.allSettled(
      Array.from({ length: MAX_WEBHOOKS_PER_TENANT + 5 }, (_, index) =>
        repository.create('t-race', webhook(index), MAX_WEBHOOKS_PER_TENANT, []),
      ),
    );

    const refused = results.filter((result) => result.status === 'rejected');
    expect((await repository.list('t-race')).length).toBe(MAX_WEBHOOKS_PER_TENANT);
    expect(refused).toHaveLength(5);
    for (const result of refused)
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'WEBHOOK_LIMIT_REACHED' });
  });

  it('stores the sealed secret beside the view, frees a slot on removal, and records no delivery on a removed webhook', async () => {
    const tenantId = 't-remove';
    for (let index = 0; index < MAX_WEBHOOKS_PER_TENANT; index += 1)
      await repository.create(tenantId, webhook(index), MAX_WEBHOOKS_PER_TENANT, []);
    await expect(repository.create(tenantId, webhook(99), MAX_WEBHOOKS_PER_TENANT, [])).rejects.toMatchObject(
      {
        code: 'WEBHOOK_LIMIT_REACHED',
      },
    );

    await repository.remove(tenantId, webhook(0).id, []);
    await repository.create(tenantId, webhook(99), MAX_WEBHOOKS_PER_TENANT, []);

    expect((await repository.get(tenantId, webhook(99).id))?.sealedSecret).toBe('sealed-99');
    await expect(repository.remove(tenantId, webhook(0).id, [])).rejects.toMatchObject({
      code: 'WEBHOOK_NOT_FOUND',
    });
    const delivery = {
      eventId: 'evt-1',
      eventName: 'plugin:enabled' as const,
      status: 'delivered' as const,
      attempts: 1,
      attemptedAt: '2030-01-07T12:00:00.000Z',
      httpStatus: 204,
    };
    expect(await repository.recordDelivery(tenantId, webhook(0).id, delivery)).toBe(false);
    expect(await repository.recordDelivery(tenantId, webhook(1).id, delivery)).toBe(true);
    expect((await repository.get(tenantId, webhook(1).id))?.lastDelivery).toEqual(delivery);
    expect(await repository.get('t-other', webhook(1).id)).toBeUndefined();
  });
});
