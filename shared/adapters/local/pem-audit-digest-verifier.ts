import type { AuditDigestVerifier } from '../../ports/audit-chain-store.ts';

/**
 * One trusted digest key given as a PEM (the local platform's signing key, from a file): every
 * digest is checked against it whatever key id it names, so a digest signed otherwise fails.
 */
export class PemAuditDigestVerifier implements AuditDigestVerifier {
  private readonly pem: string;

  constructor(pem: string) {
    this.pem = pem;
  }

  async publicKeyPem(): Promise<string | undefined> {
    return this.pem;
  }
}
