/**
 * Per-key FIFO queues served round-robin, with a cap on how many items of one key may be in
 * progress at once. The local execution invoker keys by tenant and caps each tenant below its pool
 * size, so a tenant flooding the pool with hanging runs always leaves a worker to the others, and
 * tenants with queued work take turns rather than queueing behind the busiest one.
 */
export class FairDispatchQueue<T> {
  /** Keys with queued items; Map order is the rotation (a served key moves to the back). */
  private readonly queues = new Map<string, T[]>();
  private readonly inProgress = new Map<string, number>();
  private readonly maxInProgressPerKey: number;

  constructor(maxInProgressPerKey: number) {
    if (!Number.isInteger(maxInProgressPerKey) || maxInProgressPerKey < 1)
      throw new Error('maxInProgressPerKey must be a positive integer');
    this.maxInProgressPerKey = maxInProgressPerKey;
  }

  get size(): number {
    let total = 0;
    for (const items of this.queues.values()) total += items.length;
    return total;
  }

  enqueue(key: string, item: T): void {
    const items = this.queues.get(key);
    if (items) items.push(item);
    else this.queues.set(key, [item]);
  }

  /** The oldest item of the first key in rotation that is under its cap, now counted in progress. */
  take(): { key: string; item: T } | undefined {
    for (const [key, items] of this.queues) {
      if ((this.inProgress.get(key) ?? 0) >= this.maxInProgressPerKey) continue;
      const item = items.shift() as T;
      this.queues.delete(key);
      if (items.length > 0) this.queues.set(key, items);
      this.inProgress.set(key, (this.inProgress.get(key) ?? 0) + 1);
      return { key, item };
    }
    return undefined;
  }

  /** An item taken for `key` has finished, whatever its outcome. */
  done(key: string): void {
    const count = (this.inProgress.get(key) ?? 0) - 1;
    if (count > 0) this.inProgress.set(key, count);
    else this.inProgress.delete(key);
  }

  /** Removes and returns every queued item (shutdown). */
  drain(): T[] {
    const items = [...this.queues.values()].flat();
    this.queues.clear();
    return items;
  }
}
