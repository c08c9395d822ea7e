import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeEventPublisher } from '../../../../../shared/adapters/aws/eventbridge-event-publisher.ts';
import type { PlatformEvent } from '../../../../../shared/domain/platform-events.ts';

const eventBridge = mockClient(EventBridgeClient);
afterEach(() => eventBridge.reset());

const waits: number[] = [];
const publisher = (attempts = 3) =>
  new EventBridgeEventPublisher(new EventBridgeClient({ region: 'us-east-1' }), 'bus', {
    attempts,
    baseDelayMs: 10,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
const event = (id: string): PlatformEvent => ({
  id,
  name: 'plugin:installed',
  time: '2030-01-07T12:00:00.000Z',
  tenantId: 't-one',
  detail: { pluginId: 'p1' },
});
const idsOf = (call: number) =>
  (eventBridge.commandCalls(PutEventsCommand)[call]?.args[0].input.Entries ?? []).map(
    (entry) => (JSON.parse(entry.Detail ?? '{}') as { id: string }).id,
  );

describe('EventBridgeEventPublisher', () => {
  it('sends again only the entries PutEvents refused, with backoff', async () => {
    waits.length = 0;
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'ok-1' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { EventId: 'ok-3' },
          { ErrorCode: 'InternalFailure' },
        ],
      })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'ok-2' }, { ErrorCode: 'InternalFailure' }] })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'ok-4' }] });

    await publisher().publish(['e1', 'e2', 'e3', 'e4'].map(event));

    expect([idsOf(0), idsOf(1), idsOf(2)]).toEqual([['e1', 'e2', 'e3', 'e4'], ['e2', 'e4'], ['e4']]);
    expect(waits).toEqual([10, 20]);
  });

  it('rejects after the last attempt, naming the codes', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });

    await expect(publisher(3).publish([event('e1')])).rejects.toThrow(
      'EventBridge refused 1 event(s) after 3 attempts: InternalFailure',
    );
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it('sends at most ten entries a call', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, index) => ({ EventId: `id-${index}` })),
    }));

    await publisher().publish(Array.from({ length: 23 }, (_, index) => event(`e${index}`)));

    expect(
      eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length),
    ).toEqual([10, 10, 3]);
  });

  it('keeps each call under PutEvents’ 256 KB', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, index) => ({ EventId: `id-${index}` })),
    }));
    const large = (id: string): PlatformEvent => ({ ...event(id), detail: { padding: 'x'.repeat(100_000) } });

    await publisher().publish([large('e1'), large('e2'), large('e3'), event('e4')]);

    expect([idsOf(0), idsOf(1)]).toEqual([
      ['e1', 'e2'],
      ['e3', 'e4'],
    ]);
  });
});
