import { canonicalJson } from './audit-chain/chain-format.ts';
import type { OsvRecord } from './dependency-scan.ts';
import { sha256Hex } from './signatures.ts';

/**
 * The version of an advisory set: the SHA-256 of its records in canonical JSON (RFC 8785), in id
 * order. Any change to any record changes it; the same set downloaded again keeps it, so the
 * refresh writes (and rescans) only when something changed, and a release scanned at publish with
 * the shipped snapshot is not rescanned against that same snapshot.
 */
export function advisoryDatabaseVersion(records: readonly OsvRecord[]): string {
  const ordered = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return `sha256:${sha256Hex(canonicalJson(ordered))}`;
}
