import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOKS_PER_TENANT } from '../../../../../shared/domain/webhooks.ts';
import {
  newWebhookSecret,
  webhookIdGenerator,
} from '../../../../../shared/services/events/webhook-identity.ts';
import { WebhookService } from '../../../../../shared/services/events/webhook-service.ts';
import { FakeEhrEndpointGuard } from '../../../../support/fakes/in-memory-ehr-connections.ts';
import { InMemoryOutbox } from '../../../../support/fakes/in-memory-outbox.ts';
import {
  FakeWebhookSecretSealer,
  InMemoryWebhookRepository,
} from '../../../../support/fakes/in-memory-webhooks.ts';

const clock = { now: () => new Date('2030-01-07T12:00:00.000Z') };

function harness() {
  const outbox = new InMemoryOutbox();
  const webhooks = new InMemoryWebhookRepository(outbox);
  const endpointGuard = new FakeEhrEndpointGuard();
  const service = new WebhookService({
    tenantId: 't-acme',
    actorId: 'admin-1',
    requestId: 'req-1',
    webhooks,
    sealer: new FakeWebhookSecretSealer(),
    endpointGuard,
    webhookIds: webhookIdGenerator(clock),
    newSecret: newWebhookSecret,
    auditTrail: { outbox, ids: { next: () => randomUUID() }, clock },
  });
  return { service, webhooks, outbox, endpointGuard };
}

const registration = {
  url: 'https://hooks.example.org/in/7f3a?token=abc',
  eventTypes: ['plugin:enabled', 'plugin:enabled', 'plugin:error'] as const,
};

describe('WebhookService', () => {
  it('registers a webhook, shows its Standard Webhooks secret once and stores it only sealed', async () => {
    const { service, webhooks } = harness();

    const registered = await service.register({ ...registration, eventTypes: [...registration.eventTypes] });

    expect(registered.id).toMatch(/^wh_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(registered.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(registered.eventTypes).toEqual(['plugin:enabled', 'plugin:error']);
    const stored = await webhooks.get('t-acme', registered.id);
    expect(JSON.stringify(stored)).not.toContain(registered.secret.slice('whsec_'.length));
    const listed = await service.list();
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect(listed.map((webhook) => webhook.id)).toEqual([registered.id]);
  });

  it('audits registration and removal with the host only: no path, no query string, no secret', async () => {
    const { service, outbox } = harness();

    const registered = await service.register({ ...registration, eventTypes: ['plugin:enabled'] });
    await service.remove(registered.id);

    expect(outbox.records.map((record) => [record.action, record.outcome])).toEqual([
      ['webhook:registered', 'success'],
      ['webhook:removed', 'success'],
    ]);
    const text = JSON.stringify(outbox.entries);
    expect(text).toContain('hooks.example.org');
    expect(text).not.toContain('7f3a');
    expect(text).not.toContain('token=abc');
    expect(text).not.toContain(registered.secret);
  });

  it('refuses a URL the endpoint guard refuses with WEBHOOK_URL_NOT_ALLOWED on body.url, and audits the refusal', async () => {
    const { service, endpointGuard, outbox, webhooks } = harness();
    endpointGuard.refusedHosts.add('hooks.example.org');

    await expect(service.register({ ...registration, eventTypes: ['plugin:enabled'] })).rejects.toMatchObject(
      {
        code: 'WEBHOOK_URL_NOT_ALLOWED',
        field: 'body.url',
      },
    );
    expect(webhooks.webhooks.size).toBe(0);
    expect(outbox.records.map((record) => [record.action, record.outcome, record.code])).toEqual([
      ['webhook:registered', 'refused', 'WEBHOOK_URL_NOT_ALLOWED'],
    ]);
  });

  it(`refuses the ${MAX_WEBHOOKS_PER_TENANT + 1}th webhook of a tenant`, async () => {
    const { service } = harness();
    for (let index = 0; index < MAX_WEBHOOKS_PER_TENANT; index += 1)
      await service.register({ url: `https://hooks.example.org/${index}`, eventTypes: ['plugin:error'] });

    await expect(
      service.register({ url: 'https://hooks.example.org/one-more', eventTypes: ['plugin:error'] }),
    ).rejects.toMatchObject({ code: 'WEBHOOK_LIMIT_REACHED' });
  });

  it('answers WEBHOOK_NOT_FOUND for a webhook the tenant does not have', async () => {
    const { service } = harness();

    await expect(service.remove('wh_01HZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toMatchObject({
      code: 'WEBHOOK_NOT_FOUND',
      field: 'path.webhookId',
    });
  });
});
