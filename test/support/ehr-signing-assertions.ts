import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';

/** The members of a private JWK: none may ever appear in a view, a JWKS or an answer. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Every private-member key found anywhere in a JSON value (deep). */
export function privateMembersIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object')
      for (const [key, child] of Object.entries(node)) {
        if ((PRIVATE_JWK_MEMBERS as readonly string[]).includes(key)) found.push(key);
        visit(child);
      }
  };
  visit(value);
  return found;
}

/** Verifies a client assertion against a published JWKS, as the EHR does. */
export const verifyAgainstJwks = (assertion: string, jwks: JSONWebKeySet, audience: string) =>
  jwtVerify(assertion, createLocalJWKSet(jwks), { audience, typ: 'JWT' });
