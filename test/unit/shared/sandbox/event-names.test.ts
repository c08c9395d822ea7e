import { describe, expect, it } from 'vitest';
import { qualifyEventName } from '../../../../shared/sandbox/event-names.ts';

describe('qualifyEventName', () => {
  it('publishes every accepted form under plugin-event:<id>:', () => {
    for (const name of ['sent', 'reminder:sent', 'plugin-event:reminder:sent']) {
      expect(qualifyEventName('reminder', name)).toEqual({
        kind: 'qualified',
        name: 'plugin-event:reminder:sent',
      });
    }
  });

  it('refuses platform namespaces before it removes the plugin own prefix', () => {
    expect(qualifyEventName('appointment', 'appointment:cancelled')).toEqual({
      kind: 'reserved',
      namespace: 'appointment:',
    });
    expect(qualifyEventName('reminder', 'plugin-event:other:sent')).toEqual({
      kind: 'reserved',
      namespace: 'plugin-event:',
    });
    expect(qualifyEventName('audit', 'audit:record')).toEqual({ kind: 'reserved', namespace: 'audit:' });
  });

  it('refuses names outside the allowed characters', () => {
    for (const name of ['', ':x', 'bad name', 'a'.repeat(129), 'reminder:']) {
      expect(qualifyEventName('reminder', name)).toEqual({ kind: 'invalid' });
    }
  });
});
