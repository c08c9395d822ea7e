/** Whose secret a sealed value is: bound into the sealing, so it opens for that webhook only. */
export interface WebhookSecretContext {
  readonly tenantId: string;
  readonly webhookId: string;
}

/**
 * Keeps webhook signing secrets encrypted at rest: KMS Encrypt/Decrypt deployed (the tenant and
 * webhook ids as encryption context), AES-256-GCM under a local key file on the local platform.
 */
export interface WebhookSecretSealer {
  seal(secret: string, context: WebhookSecretContext): Promise<string>;
  open(sealed: string, context: WebhookSecretContext): Promise<string>;
}
