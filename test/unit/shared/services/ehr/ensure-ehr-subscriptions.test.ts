import { describe, expect, it } from 'vitest';
import { ehrRefused } from '../../../../../shared/domain/errors/ehr-errors.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { ensureEhrSubscriptions } from '../../../../../shared/services/ehr/ensure-ehr-subscriptions.ts';
import {
  isNotificationSecret,
  NOTIFICATION_SECRET_HEADER,
} from '../../../../../shared/services/ehr/notification-secret.ts';
import { ACME, notificationHarness } from '../../../../support/ehr-notification-harness.ts';

function ensureHarness() {
  const harness = notificationHarness();
  const deps = {
    ...harness.deps,
    publicApiBaseUrl: 'https://api.gradiant.example/',
    newSecret: () => 'fresh-secret',
  };
  return { ...harness, deps };
}

describe('ensureEhrSubscriptions', () => {
  it('subscribes with a fresh secret and stores only its hash, as a new connection version', async () => {
    const { deps, ehr, connections, outbox } = ensureHarness();

    const subscription = await ensureEhrSubscriptions({ tenantId: ACME, actor: 't-acme/admin' }, deps);

    expect(ehr.hooks).toEqual([
      {
        endpoint: 'https://api.gradiant.example/v1/ehr/notifications/t-acme',
        headerName: NOTIFICATION_SECRET_HEADER,
        secret: 'fresh-secret',
      },
    ]);
    expect(subscription).toMatchObject({
      state: 'active',
      subscriptionIds: ['sub-patient-t-acme', 'sub-appointment-t-acme'],
    });
    const stored = connections.stored.get(ACME);
    expect(stored?.version).toBe(2);
    expect(isNotificationSecret('fresh-secret', stored?.subscription?.secretSha256)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('fresh-secret');
    expect(JSON.stringify(outbox.entries)).not.toContain('fresh-secret');
    expect(outbox.records).toEqual([
      expect.objectContaining({ action: 'ehr:subscriptions-ensured', outcome: 'success' }),
    ]);
  });

  it('stores a failure with a status-only reason and keeps the previous secret hash', async () => {
    const { deps, ehr, connections } = ensureHarness();
    const before = connections.stored.get(ACME)?.subscription?.secretSha256;
    ehr.failEnsure = ehrRefused(403);

    const subscription = await ensureEhrSubscriptions({ tenantId: ACME, actor: 't-acme/admin' }, deps);

    expect(subscription).toMatchObject({ state: 'failed', reason: expect.stringContaining('HTTP 403') });
    expect(connections.stored.get(ACME)?.subscription?.secretSha256).toBe(before);
  });

  it('refuses a tenant without a connection with EHR_NOT_CONNECTED', async () => {
    const { deps } = ensureHarness();

    await expect(
      ensureEhrSubscriptions({ tenantId: TenantIdSchema.parse('t-nobody'), actor: 't-nobody/admin' }, deps),
    ).rejects.toMatchObject({ code: 'EHR_NOT_CONNECTED' });
  });
});
