import type { PlatformEvent } from '../domain/platform-events.ts';

/**
 * What a change leaves in the transactional outbox: its audit records (events named `audit:*`) and
 * the events it causes, in the one envelope. A repository write that takes `OutboxEntries` writes
 * them in the same transaction as the change, so neither commits without the other; the outbox's
 * stream delivers them onward (chain, compliance log, bus).
 */
export type OutboxEntries = readonly PlatformEvent[];

/** The outbox on its own: for records with no change to join (a refusal, a read, a run's refusal). */
export interface Outbox {
  /** Writes every entry or none; rejects when the store refuses (callers fail closed). */
  append(entries: OutboxEntries): Promise<void>;
}
