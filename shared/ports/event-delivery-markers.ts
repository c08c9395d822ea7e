/** One plugin's delivery of one event in one tenant. */
export interface DeliveryKey {
  readonly tenantId: string;
  readonly pluginId: string;
  readonly eventId: string;
}

export type Claim =
  | { readonly status: 'claimed'; readonly token: string }
  | { readonly status: 'done' }
  | { readonly status: 'busy' };

/**
 * Idempotency for at-least-once event delivery: a plugin runs an event id once where possible.
 * A claim is a lease (so a delivery whose process died can be taken over once it expires); a
 * completed claim is a `processed` marker kept long enough to outlast every retry of the event.
 */
export interface EventDeliveryMarkers {
  /** `done`: processed before; `busy`: another attempt holds an unexpired lease. */
  claim(key: DeliveryKey, leaseMs: number): Promise<Claim>;
  /** Marks the event processed for this plugin (only while `token` still holds the lease). */
  complete(key: DeliveryKey, token: string): Promise<void>;
  /** Gives the lease up after a failure, so the next retry can run at once. */
  release(key: DeliveryKey, token: string): Promise<void>;
}
