import { describe, expect, it } from 'vitest';
import { LoggingAuditOutbox } from '../../../../shared/adapters/logging-audit-outbox.ts';

describe('LoggingAuditOutbox', () => {
  it('logs a lost record by action and error name only, never the record or the error message', async () => {
    const lines: unknown[] = [];
    const outbox = new LoggingAuditOutbox({
      warn: (message, attributes) => lines.push({ message, ...attributes }),
    });

    await outbox.enqueue(
      {
        action: 'plugin:enable',
        outcome: 'success',
        actor: 't-acme/admin-1',
        tenantId: 't-acme',
        reason: 'CANARY-PHI',
      },
      { errorName: 'ThrottlingException', attempts: 3 },
    );

    expect(lines).toEqual([
      {
        message: 'audit record not delivered',
        auditAction: 'plugin:enable',
        errorName: 'ThrottlingException',
        attempts: 3,
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('CANARY-PHI');
  });

  it('never throws, even when the logger does', async () => {
    const outbox = new LoggingAuditOutbox({
      warn: () => {
        throw new Error('stdout closed');
      },
    });

    await expect(
      outbox.enqueue(
        { action: 'a', outcome: 'success', actor: 'platform:x' },
        { errorName: 'Error', attempts: 1 },
      ),
    ).resolves.toBeUndefined();
  });
});
