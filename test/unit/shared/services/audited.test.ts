import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../shared/domain/errors/domain-error.ts';
import type { AuditRecord } from '../../../../shared/domain/platform-events.ts';
import { audited } from '../../../../shared/services/audited.ts';
import { InMemoryAuditOutbox } from '../../../support/fakes/in-memory-audit-outbox.ts';

/** An audit log that refuses its first `failures` writes, then keeps what it is given. */
function flakyAuditLog(failures: number) {
  let calls = 0;
  const records: AuditRecord[] = [];
  return {
    records,
    calls: () => calls,
    async record(record: AuditRecord) {
      calls += 1;
      if (calls <= failures)
        throw Object.assign(new Error('Rate exceeded for patient Jane Roe'), { name: 'ThrottlingException' });
      records.push(record);
    },
  };
}

const setUp = (failures = 0) => {
  const audit = flakyAuditLog(failures);
  const auditOutbox = new InMemoryAuditOutbox();
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  const trail = { audit, auditOutbox, auditRetry: { attempts: 3, baseDelayMs: 10, sleep } };
  return { audit, auditOutbox, delays, trail };
};

const RECORD = { action: 'plugin:enable', actor: 't-acme/admin-1', tenantId: 't-acme', pluginId: 'p1' };

describe('audited', () => {
  it('answers the result and records the success with what the result adds', async () => {
    const { audit, trail } = setUp();

    const result = await audited(
      trail,
      RECORD,
      async () => ({ version: '1.2.0' }),
      (r) => ({ version: r.version }),
    );

    expect(result).toEqual({ version: '1.2.0' });
    expect(audit.records).toEqual([{ ...RECORD, version: '1.2.0', outcome: 'success' }]);
  });

  it('rethrows a refusal and records it with its code', async () => {
    const { audit, trail } = setUp();
    const refusal = new DomainError('ILLEGAL_TRANSITION', 'Not now.');

    await expect(audited(trail, RECORD, async () => Promise.reject(refusal))).rejects.toBe(refusal);

    expect(audit.records).toEqual([{ ...RECORD, outcome: 'refused', code: 'ILLEGAL_TRANSITION' }]);
  });

  it('records a refusal that may be an attack as a security event as well', async () => {
    const { audit, trail } = setUp();

    await expect(
      audited(trail, RECORD, async () => Promise.reject(new DomainError('SIGNATURE_INVALID', 'No.'))),
    ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });

    expect(audit.records.map((record) => record.action)).toEqual([
      'plugin:enable',
      'security:release-verification-failed',
    ]);
  });

  it('records an unexpected failure as INTERNAL_ERROR and rethrows it', async () => {
    const { audit, trail } = setUp();
    const failure = new Error('boom');

    await expect(audited(trail, RECORD, async () => Promise.reject(failure))).rejects.toBe(failure);

    expect(audit.records).toEqual([{ ...RECORD, outcome: 'failure', code: 'INTERNAL_ERROR' }]);
  });

  it('retries an audit write that fails after the change committed, with growing delays', async () => {
    const { audit, auditOutbox, delays, trail } = setUp(2);

    const result = await audited(trail, RECORD, async () => 'committed');

    expect(result).toBe('committed');
    expect(audit.calls()).toBe(3);
    expect(delays).toEqual([10, 20]);
    expect(audit.records).toEqual([{ ...RECORD, outcome: 'success' }]);
    expect(auditOutbox.queued).toEqual([]);
  });

  it('answers the committed change and queues its record when every attempt fails', async () => {
    const { audit, auditOutbox, trail } = setUp(Number.POSITIVE_INFINITY);

    const result = await audited(trail, RECORD, async () => 'committed');

    expect(result).toBe('committed');
    expect(audit.calls()).toBe(3);
    expect(auditOutbox.queued).toEqual([
      {
        record: { ...RECORD, outcome: 'success' },
        failure: { errorName: 'ThrottlingException', attempts: 3 },
      },
    ]);
    expect(JSON.stringify(auditOutbox.queued)).not.toContain('Jane');
  });

  it('still answers the refusal, not the audit failure, when a refusal cannot be recorded', async () => {
    const { auditOutbox, trail } = setUp(Number.POSITIVE_INFINITY);
    const refusal = new DomainError('PLUGIN_NOT_FOUND', 'No such plugin.');

    await expect(audited(trail, RECORD, async () => Promise.reject(refusal))).rejects.toBe(refusal);

    expect(auditOutbox.queued.map((entry) => entry.record.outcome)).toEqual(['refused']);
  });

  it('answers the committed change even when the outbox fails too', async () => {
    const { trail } = setUp(Number.POSITIVE_INFINITY);
    const broken = { ...trail, auditOutbox: { enqueue: async () => Promise.reject(new Error('down')) } };

    await expect(audited(broken, RECORD, async () => 'committed')).resolves.toBe('committed');
  });
});
