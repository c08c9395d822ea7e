import { actorIn } from '../../domain/actors.ts';
import { ConflictError, DomainError } from '../../domain/errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { StoredTenantPolicy, TenantPolicy } from '../../domain/tenant-policy.ts';
import type { AuditLog } from '../../ports/audit-log.ts';
import type { AuditOutbox } from '../../ports/audit-outbox.ts';
import type { Clock } from '../../ports/clock.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import { type AuditRetryPolicy, audited } from '../audited.ts';

/**
 * Reads and replaces a tenant's plugin policy. Versioned: `If-Match: "<version>"` makes a write
 * conditional on what the caller read; without it the write applies to the latest version, still
 * atomically. Every change is audited.
 */
export class TenantPolicyService {
  private readonly deps: {
    tenantId: TenantId;
    actorId: string;
    requestId?: string | undefined;
    policies: TenantPolicyRepository;
    auditService: AuditLog;
    auditOutbox: AuditOutbox;
    auditRetry?: AuditRetryPolicy | undefined;
    clock: Clock;
  };

  constructor(deps: TenantPolicyService['deps']) {
    this.deps = deps;
  }

  get(): Promise<StoredTenantPolicy> {
    return this.deps.policies.get(this.deps.tenantId);
  }

  put(policy: TenantPolicy, ifMatch?: string): Promise<StoredTenantPolicy> {
    const record = {
      action: 'policy:update',
      actor: actorIn(this.deps.tenantId, this.deps.actorId),
      tenantId: this.deps.tenantId,
      ...(this.deps.requestId ? { requestId: this.deps.requestId } : {}),
    };
    const trail = {
      audit: this.deps.auditService,
      auditOutbox: this.deps.auditOutbox,
      auditRetry: this.deps.auditRetry,
    };
    return audited(
      trail,
      record,
      async () => {
        const current = await this.get();
        const expected = ifMatch === undefined ? current.version : parseVersion(ifMatch);
        if (current.version !== expected) {
          throw new ConflictError('CONCURRENT_MODIFICATION', 'The policy changed since it was read.', {
            field: 'If-Match',
          });
        }
        return this.deps.policies.put(
          this.deps.tenantId,
          policy,
          expected,
          this.deps.actorId,
          this.deps.clock.now(),
        );
      },
      (stored) => ({ reason: `version ${stored.version}` }),
    );
  }
}

function parseVersion(ifMatch: string): number {
  const match = /^(?:W\/)?"?(\d{1,12})"?$/.exec(ifMatch.trim());
  if (!match?.[1])
    throw new DomainError('VALIDATION_FAILED', 'If-Match must be a policy version such as "3".', {
      field: 'If-Match',
    });
  return Number(match[1]);
}
