import type { SignedStatement } from '../domain/release-statement.ts';

export type { SignedStatement };
/**
 * Content-addressed plugin artifacts and their signed release statements. Objects are immutable:
 * an artifact's key is its SHA-256, and `getArtifact` checks the digest of what it read, so a
 * tampered object is reported as such instead of being run.
 */
export interface ArtifactStore {
  putArtifact(bytes: Uint8Array): Promise<{ sha256: string }>;
  /** undefined when absent; fails with ARTIFACT_TAMPERED when the bytes do not hash to `sha256`. */
  getArtifact(sha256: string): Promise<Uint8Array | undefined>;
  putStatement(pluginId: string, version: string, statement: SignedStatement): Promise<void>;
  getStatement(pluginId: string, version: string): Promise<SignedStatement | undefined>;
}
