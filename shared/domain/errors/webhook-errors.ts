import { MAX_WEBHOOKS_PER_TENANT } from '../webhooks.ts';
import { DomainError } from './domain-error.ts';

/** The tenant's webhooks. Messages name ids and fixed phrases only, never a URL (it may carry PHI). */

export const webhookNotFound = () =>
  new DomainError('WEBHOOK_NOT_FOUND', 'No such webhook is registered in this tenant.', {
    field: 'path.webhookId',
  });

export const webhookLimitReached = (cause?: unknown) =>
  new DomainError(
    'WEBHOOK_LIMIT_REACHED',
    `A tenant may register at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; remove one first.`,
    { field: 'body', cause },
  );

/** `reason` is the endpoint guard's fixed phrase ("must use https"), never the address. */
export const webhookUrlNotAllowed = (reason: string) =>
  new DomainError('WEBHOOK_URL_NOT_ALLOWED', `The webhook URL ${reason}.`, {
    field: 'body.url',
    errors: [{ field: 'body.url', message: reason }],
  });
