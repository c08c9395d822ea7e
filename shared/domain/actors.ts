/**
 * The one actor format of audit records and lifecycle events. A person is `<tenantId>/<userId>`
 * (user ids are only unique within their tenant); everything else names its kind:
 * `plugin:<pluginId>` (a plugin acting through the host API), `event:<name>` (an event delivery),
 * `platform:<component>` (the circuit breaker, the revocation kill switch), `ehr:<tenantId>` (a
 * change made in the tenant's EHR).
 */
export const userActor = (tenantId: string, userId: string): string => `${tenantId}/${userId}`;
export const pluginActor = (pluginId: string): string => `plugin:${pluginId}`;
export const eventActor = (eventName: string): string => `event:${eventName}`;
export const platformActor = (component: string): string => `platform:${component}`;
/** The tenant's EHR itself: a change made there, reported by its rest-hook notification. */
export const ehrActor = (tenantId: string): string => `ehr:${tenantId}`;

const NON_HUMAN_ACTOR = /^(plugin|event|platform|ehr):/;

export const isPlatformActor = (actor: string): boolean => actor.startsWith('platform:');

/** A service scoped to a tenant knows its caller as a user id or a non-human actor: qualify it. */
export const actorIn = (tenantId: string, actorId: string): string =>
  NON_HUMAN_ACTOR.test(actorId) ? actorId : userActor(tenantId, actorId);

/** Whoever sent a request no token vouched for (a 401): recorded, never trusted. */
export const ANONYMOUS_ACTOR = 'anonymous';
