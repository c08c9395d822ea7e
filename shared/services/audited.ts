import { DomainError } from '../domain/errors/domain-error.ts';
import type { ErrorCode } from '../domain/errors/error-codes.ts';
import type { AuditRecord } from '../domain/platform-events.ts';
import type { AuditLog } from '../ports/audit-log.ts';
import type { AuditOutbox } from '../ports/audit-outbox.ts';

/** Refusals that may be an attack, each also recorded as the security event named here. */
const SECURITY_EVENTS: ReadonlyMap<ErrorCode, string> = new Map<ErrorCode, string>([
  ['SIGNATURE_INVALID', 'security:release-verification-failed'],
  ['ARTIFACT_TAMPERED', 'security:release-verification-failed'],
  ['UNTRUSTED_PUBLISHER_KEY', 'security:release-verification-failed'],
  // A revoked key in use, to publish or to register again: the key may have leaked.
  ['PUBLISHER_KEY_REVOKED', 'security:revoked-publisher-key-used'],
  // Registering a public key without its private key: someone trying to take over a key.
  ['KEY_POSSESSION_UNPROVEN', 'security:key-possession-unproven'],
]);

/** Bounded retries: three attempts, 25 then 50 ms apart, so a blip costs a request ~75 ms at most. */
export interface AuditRetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}
export const DEFAULT_AUDIT_RETRY: AuditRetryPolicy = { attempts: 3, baseDelayMs: 25 };

/** The audit log, the outbox behind it, and how hard to try the log first. */
export interface AuditTrail {
  readonly audit: AuditLog;
  readonly auditOutbox: AuditOutbox;
  readonly auditRetry?: AuditRetryPolicy | undefined;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes one record, retrying with exponential backoff; if the log still refuses it, the record
 * is queued in the outbox. Never throws: whatever the action answered (its result or its refusal)
 * is what the caller gets, and a committed change never becomes a 500 because of its audit write.
 */
export async function recordAudit(trail: AuditTrail, record: AuditRecord): Promise<void> {
  const { attempts, baseDelayMs, sleep = sleepFor } = trail.auditRetry ?? DEFAULT_AUDIT_RETRY;
  let lastError: unknown;
  for (let attempt = 1; attempt <= Math.max(1, attempts); attempt += 1) {
    try {
      await trail.audit.record(record);
      return;
    } catch (error) {
      lastError = error;
      if (attempt < attempts) await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
  const errorName = lastError instanceof Error ? lastError.name : typeof lastError;
  await trail.auditOutbox
    .enqueue(record, { errorName, attempts: Math.max(1, attempts) })
    .catch(() => undefined);
}

/**
 * Runs an action and audits its outcome: success (with what `onSuccess` adds from the result), a
 * refusal with its code, or a failure as INTERNAL_ERROR. Verification failures and key take-over
 * attempts are also recorded as a security event, so they show up in the compliance log.
 */
export async function audited<T>(
  trail: AuditTrail,
  record: Omit<AuditRecord, 'outcome'>,
  action: () => Promise<T>,
  onSuccess?: (result: T) => Partial<Omit<AuditRecord, 'outcome' | 'action' | 'actor'>>,
): Promise<T> {
  let result: T;
  try {
    result = await action();
  } catch (error) {
    if (error instanceof DomainError) {
      await recordAudit(trail, { ...record, outcome: 'refused', code: error.code });
      const securityAction = SECURITY_EVENTS.get(error.code);
      if (securityAction) {
        await recordAudit(trail, { ...record, action: securityAction, outcome: 'refused', code: error.code });
      }
    } else {
      await recordAudit(trail, { ...record, outcome: 'failure', code: 'INTERNAL_ERROR' });
    }
    throw error;
  }
  await recordAudit(trail, { ...record, ...onSuccess?.(result), outcome: 'success' });
  return result;
}
