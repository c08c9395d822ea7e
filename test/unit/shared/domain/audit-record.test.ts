import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditRecordSchema } from '../../../../shared/domain/platform-events.ts';

describe('an audit record', () => {
  it('keeps an id that is not one as its length, never its text', () => {
    const record = AuditRecordSchema.parse({
      action: 'api:request',
      outcome: 'refused',
      actor: 'anonymous',
      pluginId: 'Jane Doe 1970-01-01',
      request: {
        routeKey: 'POST /v1/plugins/{id}/invoke',
        status: 404,
        targetIds: { id: 'jane@example.org' },
      },
    });

    expect(record.pluginId).toBe('invalid:length=19');
    expect(record.request?.targetIds).toEqual({ id: 'invalid:length=16' });
  });

  it('parses to itself once stored: a record read back is the record written', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), (pluginId, code) => {
        const stored = AuditRecordSchema.parse({
          action: 'plugin:invoked',
          outcome: 'failure',
          actor: 'a',
          pluginId,
          code,
        });
        expect(AuditRecordSchema.parse(stored)).toEqual(stored);
      }),
    );
  });
});
