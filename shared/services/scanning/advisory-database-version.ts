import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { OsvRecord } from '../../domain/dependency-scan.ts';

/**
 * The version of an advisory set: the SHA-256 of its records in canonical JSON (RFC 8785), in id
 * order. Any change to any record changes it; the same set downloaded again keeps it, so the
 * refresh writes (and rescans) only when something changed.
 */
export function advisoryDatabaseVersion(records: readonly OsvRecord[]): string {
  const ordered = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return `sha256:${createHash('sha256')
    .update(canonicalize(ordered) ?? '[]')
    .digest('hex')}`;
}
