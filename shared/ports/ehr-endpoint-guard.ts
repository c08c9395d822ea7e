/**
 * Whether a URL may be one of a tenant's EHR endpoints: the platform calls it with the tenant's
 * token and a signed assertion, so a private, loopback or metadata address would turn the
 * connection into a way into the platform's own network (SSRF). Checked at save time, names
 * resolved too; the HTTP client that reaches the EHR checks the address it connects to again.
 */
export interface EhrEndpointGuard {
  /** Why `url` may not be an EHR endpoint (a fixed phrase, never the address), or undefined. */
  refusalOf(url: string): Promise<string | undefined>;
}
