import { auditUnavailable } from '../../domain/errors/capacity-errors.ts';
import { DomainError } from '../../domain/errors/domain-error.ts';
import type { ErrorCode } from '../../domain/errors/error-codes.ts';
import {
  type AuditRecord,
  AuditRecordSchema,
  auditEventName,
  type PlatformEvent,
} from '../../domain/platform-events.ts';
import type { Outbox, OutboxEntries } from '../../ports/outbox.ts';
import { type EventSources, platformEvent } from '../platform-event.ts';

/** Refusals that may be an attack, each also recorded as the security event named here. */
export const SECURITY_EVENTS: ReadonlyMap<ErrorCode, string> = new Map<ErrorCode, string>([
  ['SIGNATURE_INVALID', 'security:release-verification-failed'],
  ['ARTIFACT_TAMPERED', 'security:release-verification-failed'],
  ['UNTRUSTED_PUBLISHER_KEY', 'security:release-verification-failed'],
  // A revoked key in use, to publish or to register again: the key may have leaked.
  ['PUBLISHER_KEY_REVOKED', 'security:revoked-publisher-key-used'],
  // Registering a public key without its private key: someone trying to take over a key.
  ['KEY_POSSESSION_UNPROVEN', 'security:key-possession-unproven'],
  // The tenant's policy refused a plugin: what it asks for, or what it ships, is not allowed here.
  ['POLICY_VIOLATION', 'security:policy-refusal'],
  ['PERMISSION_NOT_ALLOWED', 'security:policy-refusal'],
  ['VULNERABLE_DEPENDENCY', 'security:policy-refusal'],
  ['PUBLISHER_NOT_VERIFIED', 'security:policy-refusal'],
]);

/** Bounded retries of a standalone append: three attempts, 25 then 50 ms apart (~75 ms at most). */
export interface AuditRetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}
export const DEFAULT_AUDIT_RETRY: AuditRetryPolicy = { attempts: 3, baseDelayMs: 25 };

/** Where audit records go (the outbox), where their ids and times come from, and how hard to try. */
export interface AuditTrail extends EventSources {
  readonly outbox: Outbox;
  readonly auditRetry?: AuditRetryPolicy | undefined;
}

/**
 * The one envelope of an audit record: an event named `audit:<action>` whose detail is the record
 * as its schema keeps it (a value that fails its field's schema is kept as its length only).
 */
export function auditEvent(record: AuditRecord, sources: EventSources): PlatformEvent {
  const detail = AuditRecordSchema.parse(record);
  return platformEvent(auditEventName(detail.action), detail.tenantId, detail, sources);
}

/** The records of a refusal: the refusal itself, and the security event it may stand for. */
export function refusalRecords(record: Omit<AuditRecord, 'outcome'>, error: unknown): AuditRecord[] {
  if (!(error instanceof DomainError)) return [{ ...record, outcome: 'failure', code: 'INTERNAL_ERROR' }];
  const refused: AuditRecord = { ...record, outcome: 'refused', code: error.code };
  const securityAction = SECURITY_EVENTS.get(error.code);
  return securityAction ? [refused, { ...refused, action: securityAction }] : [refused];
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Appends entries that join no change (a refusal, a read): retried with backoff, and when the
 * outbox still refuses them, `AUDIT_UNAVAILABLE` (503). Nothing is answered without its record.
 */
export async function appendToOutbox(trail: AuditTrail, entries: OutboxEntries): Promise<void> {
  const { attempts, baseDelayMs, sleep = sleepFor } = trail.auditRetry ?? DEFAULT_AUDIT_RETRY;
  const tries = Math.max(1, attempts);
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    try {
      await trail.outbox.append(entries);
      return;
    } catch {
      if (attempt < tries) await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
  throw auditUnavailable();
}

/** Appends audit records that join no change; see `appendToOutbox`. */
export function appendAudit(trail: AuditTrail, records: readonly AuditRecord[]): Promise<void> {
  return appendToOutbox(
    trail,
    records.map((record) => auditEvent(record, trail)),
  );
}

/** What a successful change adds to its audit record: ids and codes only. */
export type AuditSuccessFields = Partial<Omit<AuditRecord, 'outcome' | 'action' | 'actor' | 'tenantId'>>;

/**
 * Hands an action the outbox entries its change must commit with: the success record (with the
 * fields given) followed by the events the change causes. The action writes them in the same
 * transaction as the change; calling it is the action's promise that it does.
 */
export type CommitEntries = (fields?: AuditSuccessFields, events?: OutboxEntries) => OutboxEntries;

/**
 * Runs an action and audits how it ended. A change commits its success record with it (through
 * `commit`), so a committed change always has its record and a cancelled one never does; an action
 * that changed nothing gets its success record appended after it. A refusal (with the security
 * event it may stand for) or a failure is appended, and then the action's error is rethrown; if
 * that append fails, the caller gets `AUDIT_UNAVAILABLE` instead.
 */
export async function audited<T>(
  trail: AuditTrail,
  record: Omit<AuditRecord, 'outcome'>,
  action: (commit: CommitEntries) => Promise<T>,
): Promise<T> {
  let isCommitted = false;
  const commit: CommitEntries = (fields = {}, events = []) => {
    isCommitted = true;
    return [auditEvent({ ...record, ...fields, outcome: 'success' }, trail), ...events];
  };
  let result: T;
  try {
    result = await action(commit);
  } catch (error) {
    await appendAudit(trail, refusalRecords(record, error));
    throw error;
  }
  if (!isCommitted) await appendAudit(trail, [{ ...record, outcome: 'success' }]);
  return result;
}
