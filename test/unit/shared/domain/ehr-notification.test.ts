import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_NOTIFICATION_REFERENCES,
  parseNotification,
  referenceOf,
} from '../../../../shared/domain/ehr-notification.ts';
import { ACME_BASE, notificationBundle } from '../../../support/ehr-notification-harness.ts';

describe('parseNotification', () => {
  it('reads the focus and entry references of an id-only Bundle, each record once', () => {
    const body = notificationBundle(['Patient/p-1/_history/3', 'Appointment/a-1/_history/7']);

    const result = parseNotification(body, ACME_BASE);

    expect(result).toEqual({
      ok: true,
      notification: {
        kind: 'event-notification',
        references: [
          { type: 'Patient', id: 'p-1' },
          { type: 'Appointment', id: 'a-1' },
        ],
        ignored: 0,
      },
    });
  });

  it('accepts absolute references under the tenant base only', () => {
    const body = notificationBundle([
      `${ACME_BASE}/Patient/p-1/_history/2`,
      'https://evil.example/fhir/R4/Patient/p-2',
      'https://ehr.acme.example/fhir/R4-other/Patient/p-3',
      'https://ehr.acme.example/fhir/R4/../R4x/Patient/p-4',
      `${ACME_BASE}/Patient/p-5?_format=json`,
    ]);

    const result = parseNotification(body, ACME_BASE);

    expect(result.ok && result.notification.references).toEqual([{ type: 'Patient', id: 'p-1' }]);
    expect(result.ok && result.notification.ignored).toBeGreaterThanOrEqual(4);
  });

  it('ignores types other than Patient and Appointment', () => {
    const result = parseNotification(notificationBundle(['Observation/o-1', 'Patient/p-1']), ACME_BASE);

    expect(result.ok && result.notification.references).toEqual([{ type: 'Patient', id: 'p-1' }]);
    expect(result.ok && result.notification.ignored).toBe(2);
  });

  it('takes a bare resource by its resourceType and id alone', () => {
    const result = parseNotification(
      { resourceType: 'Appointment', id: 'a-9', status: 'cancelled', participant: [{ actor: 'x' }] },
      ACME_BASE,
    );

    expect(result.ok && result.notification.references).toEqual([{ type: 'Appointment', id: 'a-9' }]);
  });

  it('treats an empty body as a ping, and heartbeats and handshakes as nothing to do', () => {
    expect(parseNotification(undefined, ACME_BASE)).toMatchObject({
      ok: true,
      notification: { kind: 'ping' },
    });
    expect(parseNotification({}, ACME_BASE)).toMatchObject({ ok: true, notification: { kind: 'ping' } });
    const heartbeat = parseNotification(
      notificationBundle(['Patient/p-1'], { type: 'heartbeat' }),
      ACME_BASE,
    );
    expect(heartbeat).toEqual({ ok: true, notification: { kind: 'heartbeat', references: [], ignored: 0 } });
  });

  it('refuses more references than one notification may carry', () => {
    const many = Array.from({ length: MAX_NOTIFICATION_REFERENCES + 1 }, (_, index) => `Patient/p-${index}`);

    expect(parseNotification(notificationBundle(many), ACME_BASE).ok).toBe(false);
  });

  it.each([
    ['an array', [{ resourceType: 'Patient', id: 'p-1' }]],
    ['a string', 'Patient/p-1'],
    ['a number', 42],
    ['null', null],
    ['a resource with a hostile id', { resourceType: 'Patient', id: '../../admin' }],
    ['a Bundle of another type', { resourceType: 'Bundle', type: 'transaction', entry: [] }],
    ['an unknown notification type', notificationBundle(['Patient/p-1'], { type: 'query-status' })],
    ['a resource without an id', { resourceType: 'Patient' }],
    ['a prototype key', JSON.parse('{"__proto__": {"resourceType": "Patient", "id": "p-1"}}')],
  ])('refuses %s', (_name, body) => {
    expect(parseNotification(body, ACME_BASE).ok).toBe(false);
  });

  it('answers every JSON value with a result, never a throw', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (body) => {
        const result = parseNotification(body, ACME_BASE);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('never answers a reference outside Patient and Appointment ids of the tenant base', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.webUrl(), fc.string()), { maxLength: 10 }), (texts) => {
        const result = parseNotification(notificationBundle(texts), ACME_BASE);
        if (!result.ok) return;
        for (const reference of result.notification.references) {
          expect(['Patient', 'Appointment']).toContain(reference.type);
          expect(reference.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('referenceOf', () => {
  it('compares the base after URL normalisation and ignores a trailing slash on it', () => {
    expect(referenceOf('https://EHR.acme.example/fhir/R4/Patient/p-1', `${ACME_BASE}/`)).toEqual({
      type: 'Patient',
      id: 'p-1',
    });
    expect(referenceOf('https://user:pw@ehr.acme.example/fhir/R4/Patient/p-1', ACME_BASE)).toBeUndefined();
    expect(referenceOf('http://ehr.acme.example/fhir/R4/Patient/p-1', ACME_BASE)).toBeUndefined();
  });
});
