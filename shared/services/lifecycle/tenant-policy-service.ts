import { actorIn } from '../../domain/actors.ts';
import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import { preconditionFailed, preconditionRequired } from '../../domain/errors/lifecycle-errors.ts';
import { validationErrorFrom } from '../../domain/errors/request-errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import { applyMergePatch } from '../../domain/json-merge-patch.ts';
import {
  type StoredTenantPolicy,
  type TenantPolicy,
  type TenantPolicyMergePatch,
  TenantPolicySchema,
} from '../../domain/tenant-policy.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import { type AuditTrail, audited } from '../audit/audit-trail.ts';

/** The version a write is conditional on (`If-Match`), or `'*'` for whatever is current. */
export type PolicyPrecondition = number | '*';

/**
 * Reads and writes a tenant's plugin policy, one shape both ways. Every write is a conditional
 * write on the version it was computed from, so two writers never lose each other's change:
 * - `put` replaces the whole policy and requires a precondition (a blind replace would undo
 *   fields another admin just changed);
 * - `patch` merges an RFC 7396 patch into the version read, validates the result as a whole
 *   policy, and writes it only if that version is still current; its precondition is optional.
 * A stale precondition is PRECONDITION_FAILED; a write that lost a race without one is
 * CONCURRENT_MODIFICATION. Every change commits its audit record with it; every refusal is audited.
 */
export class TenantPolicyService {
  private readonly deps: {
    tenantId: TenantId;
    actorId: string;
    requestId?: string | undefined;
    policies: TenantPolicyRepository;
    /** The outbox the change and its record commit to; its clock stamps the change. */
    auditTrail: AuditTrail;
  };

  constructor(deps: TenantPolicyService['deps']) {
    this.deps = deps;
  }

  get(): Promise<StoredTenantPolicy> {
    return this.deps.policies.get(this.deps.tenantId);
  }

  put(policy: TenantPolicy, precondition: PolicyPrecondition | undefined): Promise<StoredTenantPolicy> {
    return this.audited(precondition, async () => {
      if (precondition === undefined) {
        throw preconditionRequired();
      }
      return policy;
    });
  }

  patch(patch: TenantPolicyMergePatch, precondition?: PolicyPrecondition): Promise<StoredTenantPolicy> {
    return this.audited(precondition, async (current) => {
      const merged = TenantPolicySchema.safeParse(applyMergePatch(current.policy, patch));
      if (!merged.success) throw validationErrorFrom(merged.error, 'body');
      return merged.data;
    });
  }

  private audited(
    precondition: PolicyPrecondition | undefined,
    next: (current: StoredTenantPolicy) => Promise<TenantPolicy>,
  ): Promise<StoredTenantPolicy> {
    const record = {
      action: 'policy:update',
      actor: actorIn(this.deps.tenantId, this.deps.actorId),
      tenantId: this.deps.tenantId,
      ...(this.deps.requestId ? { requestId: this.deps.requestId } : {}),
    };
    return audited(this.deps.auditTrail, record, async (commit) => {
      const current = await this.get();
      if (typeof precondition === 'number' && precondition !== current.version) throw preconditionFailed();
      const policy = await next(current);
      // The write stores the version after the one it is conditional on.
      const outbox = commit({ reason: `version ${current.version + 1}` });
      return this.write(policy, current.version, precondition, outbox);
    });
  }

  private async write(
    policy: TenantPolicy,
    expectedVersion: number,
    precondition: PolicyPrecondition | undefined,
    outbox: OutboxEntries,
  ): Promise<StoredTenantPolicy> {
    try {
      return await this.deps.policies.put(
        this.deps.tenantId,
        policy,
        expectedVersion,
        this.deps.actorId,
        this.deps.auditTrail.clock.now(),
        outbox,
      );
    } catch (error) {
      // Another write landed between the read and the conditional write: for a caller that named
      // a version, that version is no longer current.
      const isLostRace = hasErrorCode(error, 'CONCURRENT_MODIFICATION');
      if (isLostRace && typeof precondition === 'number') throw preconditionFailed(error);
      throw error;
    }
  }
}
