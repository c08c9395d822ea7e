import { describe, expect, it } from 'vitest';
import { ehrNotificationsHandlerFor } from '../../../../functions/ehr-notifications/wiring.ts';
import { MAX_NOTIFICATION_BODY_BYTES } from '../../../../shared/domain/ehr-notification.ts';
import { httpEvent } from '../../../support/api-gateway-events.ts';
import {
  ACME_SECRET,
  notificationBundle,
  notificationHarness,
} from '../../../support/ehr-notification-harness.ts';

const context = {} as never;
const ROUTE = 'POST /v1/ehr/notifications/{tenantId}';

function setup() {
  const harness = notificationHarness();
  const handler = ehrNotificationsHandlerFor(harness.deps);
  const post = (options: { tenantId?: string; secret?: string; body?: unknown; contentType?: string }) =>
    handler(
      httpEvent(ROUTE, {
        path: `/v1/ehr/notifications/${options.tenantId ?? 't-acme'}`,
        pathParameters: { tenantId: options.tenantId ?? 't-acme' },
        headers: {
          ...(options.secret === undefined ? {} : { 'X-Gradiant-Notification-Secret': options.secret }),
          ...(options.body === undefined
            ? {}
            : { 'content-type': options.contentType ?? 'application/fhir+json' }),
        },
        ...(options.body === undefined ? {} : { body: options.body }),
      }),
      context,
    );
  return { harness, post };
}

describe('ehr-notifications handler', () => {
  it('answers 202 with the receipt, without a bearer token', async () => {
    const { harness, post } = setup();
    harness.ehr.setPatient('t-acme', { id: 'p-1', versionId: '1' });

    const response = await post({ secret: ACME_SECRET, body: notificationBundle(['Patient/p-1']) });

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ references: 1, events: 1 });
  });

  it('accepts an empty ping', async () => {
    const { post } = setup();

    const response = await post({ secret: ACME_SECRET });

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ kind: 'ping' });
  });

  it('answers a missing secret, a wrong one and an unknown tenant with the same 401 problem', async () => {
    const { post } = setup();

    const answers = await Promise.all([
      post({ body: notificationBundle(['Patient/p-1']) }),
      post({ secret: 'wrong', body: notificationBundle(['Patient/p-1']) }),
      post({ tenantId: 't-nobody', secret: ACME_SECRET, body: notificationBundle(['Patient/p-1']) }),
      post({ tenantId: 'NOT A TENANT', secret: ACME_SECRET }),
    ]);

    const problems = answers.map((answer) => {
      const problem = JSON.parse(answer.body ?? '{}');
      return [answer.statusCode, answer.headers?.['content-type'], problem.code, problem.detail];
    });
    expect(new Set(problems.map((problem) => JSON.stringify(problem))).size).toBe(1);
    expect(problems[0]).toEqual([401, 'application/problem+json', 'UNAUTHENTICATED', expect.any(String)]);
  });

  it('refuses a body over 64 KiB with 413 and a body that is no notification with 400', async () => {
    const { post } = setup();

    const large = await post({ secret: ACME_SECRET, body: 'x'.repeat(MAX_NOTIFICATION_BODY_BYTES + 1) });
    const junk = await post({ secret: ACME_SECRET, body: ['Patient/p-1'] });

    expect(large.statusCode).toBe(413);
    expect(junk.statusCode).toBe(400);
  });

  it('leaves an api:request record for a refused notification too', async () => {
    const { harness, post } = setup();

    await post({ secret: 'wrong', body: notificationBundle(['Patient/p-1']) });

    expect(harness.outbox.records).toEqual([
      expect.objectContaining({ action: 'api:request', actor: 'anonymous', code: 'UNAUTHENTICATED' }),
    ]);
  });
});
