import { DomainError } from '../../domain/errors.ts';
import type { AuditRecord } from '../../domain/platform-events.ts';
import type { AuditLog } from '../../ports/audit-log.ts';

const SECURITY_CODES = new Set(['SIGNATURE_INVALID', 'ARTIFACT_TAMPERED', 'UNTRUSTED_PUBLISHER_KEY']);

/**
 * Runs an action and audits its outcome: success, or a refusal with its code. Verification
 * failures are also recorded as a security event, so tampering shows up in the compliance log.
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
      if (SECURITY_CODES.has(error.code)) {
        await audit.record({
          ...record,
          action: 'security:release-verification-failed',
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
