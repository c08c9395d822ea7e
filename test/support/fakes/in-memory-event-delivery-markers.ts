import type {
  Claim,
  DeliveryKey,
  EventDeliveryMarkers,
} from '../../../shared/ports/event-delivery-markers.ts';

/** The marker semantics of the DynamoDB adapter (lease, processed, release) in memory. */
export class InMemoryEventDeliveryMarkers implements EventDeliveryMarkers {
  readonly markers = new Map<string, { status: 'processing' | 'done'; token: string; leaseUntil: number }>();
  private sequence = 0;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  async claim(key: DeliveryKey, leaseMs: number): Promise<Claim> {
    const existing = this.markers.get(keyOf(key));
    if (existing?.status === 'done') return { status: 'done' };
    if (existing && existing.leaseUntil > this.now()) return { status: 'busy' };
    const token = `lease-${++this.sequence}`;
    this.markers.set(keyOf(key), { status: 'processing', token, leaseUntil: this.now() + leaseMs });
    return { status: 'claimed', token };
  }

  async complete(key: DeliveryKey, token: string) {
    const existing = this.markers.get(keyOf(key));
    if (existing?.token === token) this.markers.set(keyOf(key), { ...existing, status: 'done' });
  }

  async release(key: DeliveryKey, token: string) {
    if (this.markers.get(keyOf(key))?.token === token) this.markers.delete(keyOf(key));
  }
}

const keyOf = (key: DeliveryKey) => `${key.tenantId}/${key.pluginId}/${key.eventId}`;
