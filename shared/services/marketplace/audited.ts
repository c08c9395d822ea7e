import { DomainError } from '../../domain/errors.ts';
import type { AuditRecord } from '../../domain/platform-events.ts';
import type { AuditLog } from '../../ports/audit-log.ts';

/** Refusals that may be an attack, each also recorded as the security event named here. */
const SECURITY_EVENTS: ReadonlyMap<string, string> = new Map([
  ['SIGNATURE_INVALID', 'security:release-verification-failed'],
  ['ARTIFACT_TAMPERED', 'security:release-verification-failed'],
  ['UNTRUSTED_PUBLISHER_KEY', 'security:release-verification-failed'],
  // A revoked key in use, to publish or to register again: the key may have leaked.
  ['PUBLISHER_KEY_REVOKED', 'security:revoked-publisher-key-used'],
  // Registering a public key without its private key: someone trying to take over a key.
  ['KEY_POSSESSION_UNPROVEN', 'security:key-possession-unproven'],
]);

/**
 * Runs an action and audits its outcome: success, or a refusal with its code. Verification
 * failures and key take-over attempts are also recorded as a security event, so they show up in
 * the compliance log.
 */
export async function audited<T>(
  audit: AuditLog,
  record: Omit<AuditRecord, 'outcome'>,
  action: () => Promise<T>,
): Promise<T> {
  try {
    const result = await action();
    await audit.record({ ...record, outcome: 'success' });
    return result;
  } catch (error) {
    if (error instanceof DomainError) {
      await audit.record({ ...record, outcome: 'refused', code: error.code });
      const securityAction = SECURITY_EVENTS.get(error.code);
      if (securityAction) {
        await audit.record({
          ...record,
          action: securityAction,
          outcome: 'refused',
          code: error.code,
        });
      }
    } else {
      await audit.record({ ...record, outcome: 'failure', code: 'INTERNAL_ERROR' }).catch(() => undefined);
    }
    throw error;
  }
}
