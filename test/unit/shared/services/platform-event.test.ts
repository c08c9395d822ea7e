import { describe, expect, it } from 'vitest';
import { PlatformEventSchema } from '../../../../shared/domain/platform-events.ts';
import { platformEvent } from '../../../../shared/services/platform-event.ts';

const sources = (ids: string[]) => ({
  ids: { next: () => ids.shift() ?? 'exhausted' },
  clock: { now: () => new Date('2026-03-01T10:00:00.000Z') },
});

describe('platformEvent', () => {
  it('builds the envelope from the id and clock ports, with the tenant and detail as given', () => {
    const event = platformEvent('plugin:enabled', 't-acme', { pluginId: 'p1' }, sources(['e-1']));

    expect(event).toEqual({
      id: 'e-1',
      name: 'plugin:enabled',
      time: '2026-03-01T10:00:00.000Z',
      tenantId: 't-acme',
      detail: { pluginId: 'p1' },
    });
    expect(PlatformEventSchema.safeParse(event).success).toBe(true);
  });

  it('leaves the tenant out of a platform-wide event', () => {
    const event = platformEvent('audit:marketplace:revoke', undefined, {}, sources(['e-2']));

    expect(event).not.toHaveProperty('tenantId');
  });

  it('takes a fresh id for every event', () => {
    const from = sources(['e-1', 'e-2']);

    const ids = [platformEvent('a', 't', {}, from).id, platformEvent('b', 't', {}, from).id];

    expect(ids).toEqual(['e-1', 'e-2']);
  });
});
