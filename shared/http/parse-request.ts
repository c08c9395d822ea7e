import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  malformedJson,
  payloadTooLarge,
  unsupportedMediaType,
  validationErrorFrom,
} from '../domain/errors/request-errors.ts';
import type { HttpEvent } from './http-types.ts';
import type { BodyMediaType } from './route-record.ts';

/** 1 MiB of JSON: plugin artifacts up to this size travel inline, larger ones through S3. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024 + 256 * 1024;

export function headerOf(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The body as API Gateway received it: base64 is decoded, nothing else is touched. */
function bodyBytes(event: HttpEvent): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/**
 * Hashes the bytes, not the parsed value: serialising a parsed body recurses once per nesting
 * level, so a body nested ~10,000 deep overflowed the stack (a 500 with an Idempotency-Key, a 400
 * without). A linear hash of the bytes answers every body, valid JSON or not, in the same way.
 */
export function bodyDigestOf(event: HttpEvent): string {
  return createHash('sha256').update(bodyBytes(event)).digest('hex');
}

const MEDIA_TYPE_PATTERNS: Readonly<Record<BodyMediaType, RegExp>> = {
  'application/json': /^application\/(?:[\w.+-]+\+)?json\b/i,
  // RFC 7396: a merge patch is only a merge patch when it says so; plain JSON would be a replace.
  'application/merge-patch+json': /^application\/merge-patch\+json\b/i,
};

export function parseJsonBody(
  event: HttpEvent,
  mediaType: BodyMediaType = 'application/json',
  maxBytes: number = MAX_JSON_BODY_BYTES,
): unknown {
  if (event.body === undefined || event.body === null || event.body === '') {
    throw malformedJson('The request body must be a JSON document.');
  }
  const contentType = headerOf(event, 'content-type') ?? '';
  if (!MEDIA_TYPE_PATTERNS[mediaType].test(contentType.trim())) {
    throw unsupportedMediaType(mediaType);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > maxBytes) {
    throw payloadTooLarge(maxBytes);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw malformedJson();
  }
}

/** Turns zod issues into field/message pairs; the message never echoes the offending value. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, prefix?: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationErrorFrom(result.error, prefix);
  return result.data;
}
