import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { CursorKeySource } from '../../ports/cursor-key.ts';

/**
 * A fixed, versioned label: the cursor key is HMAC(KMS key, label). Changing the label (or the
 * KMS key) rotates the cursor key, after which outstanding cursors are refused as INVALID_CURSOR
 * and clients start their list again.
 */
export const CURSOR_KEY_LABEL = 'gradiant-plugins/pagination-cursor-key/v1';

/**
 * Derives the cursor key from a KMS HMAC_256 key with one `GenerateMac` call per cold start. HMAC
 * is deterministic, so every instance of every function derives the same 32 bytes, and the KMS
 * key material never leaves KMS. Chosen over a Secrets Manager secret: no new SDK client in the
 * bundle, no secret value in the account to read or leak, no rotation Lambda; access is one
 * `kms:GenerateMac` grant. Sealing then runs in process (node:crypto), not one KMS call per page.
 */
export class KmsCursorKey implements CursorKeySource {
  private readonly client: KMSClient;
  private readonly keyId: string;
  private derived: Promise<Uint8Array> | undefined;

  constructor(client: KMSClient, keyId: string) {
    if (!keyId) throw new Error('KmsCursorKey needs the KMS HMAC key id');
    this.client = client;
    this.keyId = keyId;
  }

  key(): Promise<Uint8Array> {
    this.derived ??= this.derive();
    // A throttled or failed call must not poison the instance: the next request derives again.
    this.derived.catch(() => {
      this.derived = undefined;
    });
    return this.derived;
  }

  private async derive(): Promise<Uint8Array> {
    const result = await this.client.send(
      new GenerateMacCommand({
        KeyId: this.keyId,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: new TextEncoder().encode(CURSOR_KEY_LABEL),
      }),
    );
    if (!result?.Mac || result.Mac.byteLength < 32) throw new Error('KMS returned no usable MAC');
    return result.Mac;
  }
}
