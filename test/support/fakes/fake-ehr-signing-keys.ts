import type { TenantId } from '../../../shared/domain/identifiers.ts';
import type {
  ClientAssertionClaims,
  EhrSigningKeys,
  PublicJwk,
} from '../../../shared/ports/ehr-signing-keys.ts';

/** Records what it was asked to sign and answers a recognisable, unsigned stand-in. */
export class FakeEhrSigningKeys implements EhrSigningKeys {
  readonly signed: { tenantId: TenantId; keyId: string; claims: ClientAssertionClaims }[] = [];

  async ensure(): Promise<string> {
    return 'kid-1';
  }

  async publicKeys(): Promise<PublicJwk[]> {
    return [];
  }

  async signClientAssertion(
    tenantId: TenantId,
    keyId: string,
    claims: ClientAssertionClaims,
  ): Promise<string> {
    this.signed.push({ tenantId, keyId, claims });
    return `assertion-${this.signed.length}`;
  }
}
