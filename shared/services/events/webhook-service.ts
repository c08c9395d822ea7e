import { actorIn } from '../../domain/actors.ts';
import { webhookNotFound, webhookUrlNotAllowed } from '../../domain/errors/webhook-errors.ts';
import {
  MAX_WEBHOOKS_PER_TENANT,
  type RegisteredWebhook,
  type Webhook,
  type WebhookRegistration,
} from '../../domain/webhooks.ts';
import type { EhrEndpointGuard } from '../../ports/ehr-endpoint-guard.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { StoredWebhook, WebhookRepository } from '../../ports/webhook-repository.ts';
import type { WebhookSecretSealer } from '../../ports/webhook-secret-sealer.ts';
import { type AuditTrail, audited } from '../audit/audit-trail.ts';

export interface WebhookServiceDependencies {
  readonly tenantId: string;
  readonly actorId: string;
  readonly requestId?: string | undefined;
  readonly webhooks: WebhookRepository;
  readonly sealer: WebhookSecretSealer;
  /** The same save-time URL check as an EHR endpoint's: https, public, resolving to public addresses. */
  readonly endpointGuard: EhrEndpointGuard;
  readonly webhookIds: IdGenerator;
  readonly newSecret: () => string;
  readonly auditTrail: AuditTrail;
}

/** What a list shows of a stored webhook: everything but the sealed secret. */
export function webhookViewOf(stored: StoredWebhook): Webhook {
  const { sealedSecret: _sealed, ...view } = stored;
  return view;
}

/**
 * The host of a webhook URL, all the audit trail keeps of it: a path or query string may carry
 * whatever the receiver put there (a token, an identifier), a host names a server only.
 */
const hostOf = (url: string): string => new URL(url).host;

/** A tenant's webhooks: register (the secret shown once), list, remove; every change audited. */
export class WebhookService {
  private readonly deps: WebhookServiceDependencies;

  constructor(deps: WebhookServiceDependencies) {
    this.deps = deps;
  }

  async register(registration: WebhookRegistration): Promise<RegisteredWebhook> {
    return audited(this.deps.auditTrail, this.record('webhook:registered'), async (commit) => {
      const refusal = await this.deps.endpointGuard.refusalOf(registration.url);
      if (refusal !== undefined) throw webhookUrlNotAllowed(refusal);
      const id = this.deps.webhookIds.next();
      const secret = this.deps.newSecret();
      const webhook: Webhook = {
        id,
        url: registration.url,
        eventTypes: [...new Set(registration.eventTypes)],
        ...(registration.description === undefined ? {} : { description: registration.description }),
        createdAt: this.deps.auditTrail.clock.now().toISOString(),
        createdBy: this.deps.actorId,
      };
      const sealedSecret = await this.deps.sealer.seal(secret, {
        tenantId: this.deps.tenantId,
        webhookId: id,
      });
      await this.deps.webhooks.create(
        this.deps.tenantId,
        { ...webhook, sealedSecret },
        MAX_WEBHOOKS_PER_TENANT,
        commit({ reason: `webhook ${id}; host ${hostOf(webhook.url)}; ${webhook.eventTypes.join(',')}` }),
      );
      return { ...webhook, secret };
    });
  }

  async list(): Promise<Webhook[]> {
    return (await this.deps.webhooks.list(this.deps.tenantId)).map(webhookViewOf);
  }

  async remove(webhookId: string): Promise<void> {
    return audited(this.deps.auditTrail, this.record('webhook:removed'), async (commit) => {
      const stored = await this.deps.webhooks.get(this.deps.tenantId, webhookId);
      if (!stored) throw webhookNotFound();
      await this.deps.webhooks.remove(
        this.deps.tenantId,
        webhookId,
        commit({ reason: `webhook ${webhookId}; host ${hostOf(stored.url)}` }),
      );
    });
  }

  private record(action: string) {
    return {
      action,
      actor: actorIn(this.deps.tenantId, this.deps.actorId),
      tenantId: this.deps.tenantId,
      ...(this.deps.requestId ? { requestId: this.deps.requestId } : {}),
    };
  }
}
