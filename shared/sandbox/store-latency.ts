/** How fast a slow store round trip is forgotten, per later round trip. */
const LATENCY_DECAY = 0.95;

/**
 * The counter store's recent round-trip time (a decaying maximum), shared by one sandbox's leases:
 * a run may only use what it holds while a reservation is in flight, so a slower store must be
 * asked earlier, and for a larger first chunk, or it would stop healthy runs.
 */
export class StoreLatency {
  #ms = 0;

  /** Whole milliseconds: an in-process counter's sub-millisecond answers count as none. */
  get ms(): number {
    return Math.floor(this.#ms);
  }

  record(ms: number): void {
    this.#ms = Math.max(ms, this.#ms * LATENCY_DECAY);
  }
}
