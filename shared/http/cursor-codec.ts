import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidCursor } from '../domain/errors/request-errors.ts';
import type { CursorKeySource } from '../ports/cursor-key.ts';

/**
 * Whom and what a cursor belongs to: the caller's tenant and the list it pages through, e.g.
 * `installations`, `plugin-updates`, `reviews:<pluginId>`, `marketplace-search`. Both are inside
 * the MAC, so a cursor opens only for the tenant and the list that received it.
 */
export interface CursorScope {
  readonly tenantId: string;
  readonly list: string;
}

const VERSION = 'v1';
const MAC_BYTES = 32;
/** Longer than any cursor this codec issues (an adapter position is well under 1 KiB). */
export const MAX_CURSOR_LENGTH = 2048;
const MIN_KEY_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The one place pagination cursors are sealed and opened. A cursor is
 * `v1.<base64url position>.<base64url HMAC-SHA256>`, where the position is whatever the adapter
 * needs to resume (a DynamoDB key, a search offset) and the MAC covers the version, the scope and
 * the position. Before it, a cursor was base64 JSON that a caller could edit into a key DynamoDB
 * rejects (a 500) or one that pages elsewhere; now anything not issued here for this scope is a
 * 400 `INVALID_CURSOR` before any adapter sees it. The position stays readable (it names no PHI:
 * tenant, plugin and review ids), it only cannot be changed.
 */
export class CursorCodec {
  private readonly keys: CursorKeySource;

  constructor(keys: CursorKeySource) {
    this.keys = keys;
  }

  async seal(position: string, scope: CursorScope): Promise<string> {
    const payload = Buffer.from(position, 'utf8').toString('base64url');
    const mac = await this.macOf(payload, scope);
    return `${VERSION}.${payload}.${mac.toString('base64url')}`;
  }

  /** The position inside a cursor issued for this scope; `undefined` for the first page. */
  async open(cursor: string | undefined, scope: CursorScope): Promise<string | undefined> {
    if (cursor === undefined) return undefined;
    const parts = cursor.length <= MAX_CURSOR_LENGTH ? cursor.split('.') : [];
    const [version, payload, mac] = parts;
    if (parts.length !== 3 || version !== VERSION || !payload || !mac) throw invalidCursor();
    if (!BASE64URL.test(payload) || !BASE64URL.test(mac)) throw invalidCursor();
    const given = Buffer.from(mac, 'base64url');
    // Canonical only: base64 leaves spare bits in the last character, so two spellings of one MAC
    // would otherwise both open (harmless, but a cursor should have exactly one form).
    if (given.length !== MAC_BYTES || given.toString('base64url') !== mac) throw invalidCursor();
    if (!timingSafeEqual(given, await this.macOf(payload, scope))) throw invalidCursor();
    return Buffer.from(payload, 'base64url').toString('utf8');
  }

  /**
   * Opens the request's cursor, lists the page at that position and seals the next one: how a
   * route pages through any list, so no list can hand out or accept a bare position.
   */
  async page<T extends { readonly nextCursor?: string | undefined }>(
    cursor: string | undefined,
    scope: CursorScope,
    list: (position: string | undefined) => Promise<T>,
  ): Promise<T> {
    const page = await list(await this.open(cursor, scope));
    if (page.nextCursor === undefined) return page;
    return { ...page, nextCursor: await this.seal(page.nextCursor, scope) };
  }

  /** JSON keeps the fields apart: no tenant and list pair can be re-split into another. */
  private async macOf(payload: string, scope: CursorScope): Promise<Buffer> {
    const key = await this.keys.key();
    if (key.byteLength < MIN_KEY_BYTES)
      throw new Error(`The cursor key must be at least ${MIN_KEY_BYTES} bytes`);
    return createHmac('sha256', key)
      .update(JSON.stringify([VERSION, scope.tenantId, scope.list, payload]))
      .digest();
  }
}
