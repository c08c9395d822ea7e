import { sha256Hex } from '../../../shared/domain/signatures.ts';
import type { ArtifactStore, SignedStatement } from '../../../shared/ports/artifact-store.ts';

/** Artifacts by digest. `tamper` replaces stored bytes without changing the key, as an attacker with bucket access would. */
export class InMemoryArtifactStore implements ArtifactStore {
  readonly artifacts = new Map<string, Uint8Array>();
  readonly statements = new Map<string, SignedStatement>();
  reads = 0;

  async putArtifact(bytes: Uint8Array) {
    const sha256 = sha256Hex(bytes);
    this.artifacts.set(sha256, new Uint8Array(bytes));
    return { sha256 };
  }

  /** Unlike S3ArtifactStore this does not re-hash, so tests prove the loader checks by itself. */
  async getArtifact(sha256: string) {
    this.reads++;
    const bytes = this.artifacts.get(sha256);
    return bytes ? new Uint8Array(bytes) : undefined;
  }

  async putStatement(pluginId: string, version: string, statement: SignedStatement) {
    this.statements.set(`${pluginId}@${version}`, { ...statement });
  }

  async getStatement(pluginId: string, version: string) {
    const found = this.statements.get(`${pluginId}@${version}`);
    return found ? { ...found } : undefined;
  }

  tamper(sha256: string, bytes: Uint8Array): void {
    this.artifacts.set(sha256, new Uint8Array(bytes));
  }
}
