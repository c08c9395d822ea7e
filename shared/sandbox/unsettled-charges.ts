import type { UsageCounters } from './usage-counters.ts';

/** One update the shared counter store did not confirm; `amount` 0 is a probe (a lost refund). */
export interface Charge {
  readonly key: string;
  readonly amount: number;
  readonly windowMs: number;
}

/** A counter update that failed, with the failure for the internal-error hook. */
export interface FailedCharge {
  readonly charge: Charge;
  readonly error: unknown;
}

/**
 * What the sandbox tells the platform about its own failures: the error's name only, never its
 * message (a store error can quote keys or request data), plus the ids it concerns.
 */
export interface InternalError {
  readonly operation: 'cpu-settle' | 'rate-counter' | 'denied-call-charge' | 'unsettled-retry';
  readonly errorName: string;
  readonly tenantId: string;
  readonly pluginId: string;
}

/** Why a held run is refused (with `RateLimited`: the caller should retry later, as for a limit). */
export const UNSETTLED_RUN_MESSAGE =
  'usage counters could not be updated after an earlier run of this plugin; retry later';

export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Counter updates a run could not write, per tenant and plugin. Swallowing them let a plugin run
 * unmetered while the store was down (its CPU overshoot and denied calls were never charged, and
 * every new run would do the same), so the next run of that tenant and plugin first writes what is
 * outstanding and is refused until the store takes it. Only charges are retried, never refunds:
 * a refund whose answer was lost may have landed, and repeating it would under-count; the probe in
 * its place only proves the store answers again. A retried charge that had in fact landed counts
 * twice, which errs on the tenant's side of the limit, not the platform's.
 * Amounts merge per counter key, so an identity holds at most one entry per counter.
 */
export class UnsettledCharges {
  readonly #byIdentity = new Map<string, Map<string, Charge>>();
  readonly #retrying = new Map<string, Promise<FailedCharge | undefined>>();

  add(identity: string, charge: Charge): void {
    let charges = this.#byIdentity.get(identity);
    if (!charges) {
      charges = new Map();
      this.#byIdentity.set(identity, charges);
    }
    const previous = charges.get(charge.key);
    charges.set(charge.key, { ...charge, amount: charge.amount + (previous?.amount ?? 0) });
  }

  has(identity: string): boolean {
    return this.#byIdentity.has(identity);
  }

  /**
   * Writes every outstanding charge of `identity`; answers the first failure (what is left stays
   * outstanding) or undefined once all are written. Concurrent runs share one retry, so a charge
   * is not written twice by two runs that started together.
   */
  retry(identity: string, counters: UsageCounters): Promise<FailedCharge | undefined> {
    const running = this.#retrying.get(identity);
    if (running) return running;
    const retry = this.#write(identity, counters).finally(() => this.#retrying.delete(identity));
    this.#retrying.set(identity, retry);
    return retry;
  }

  async #write(identity: string, counters: UsageCounters): Promise<FailedCharge | undefined> {
    const charges = this.#byIdentity.get(identity);
    if (!charges) return undefined;
    for (const charge of [...charges.values()]) {
      try {
        await counters.consume(charge.key, charge.amount, Number.POSITIVE_INFINITY, charge.windowMs);
      } catch (error) {
        return { charge, error };
      }
      // Subtracted, not deleted: a run that failed meanwhile may have added to the same key.
      const now = charges.get(charge.key);
      const left = (now?.amount ?? 0) - charge.amount;
      if (left > 0) charges.set(charge.key, { ...charge, amount: left });
      else charges.delete(charge.key);
    }
    if (charges.size === 0) this.#byIdentity.delete(identity);
    return undefined;
  }
}
