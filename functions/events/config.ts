import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE } from '../../shared/config/adapters-env.ts';
import { CURSOR_ENV_SHAPE, CURSOR_KEY_MESSAGE, hasCursorKey } from '../../shared/config/cursor-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';
import { AUTH_ENV_SHAPE, hasJwksSource, JWKS_SOURCE_MESSAGE } from '../../shared/config/platform-env.ts';
import {
  hasWebhookSecretKey,
  WEBHOOK_ENV_SHAPE,
  WEBHOOK_SECRET_KEY_MESSAGE,
} from '../../shared/config/webhook-env.ts';

/**
 * The events function: the feed (the audit table, read), the webhooks (the plugins table, with
 * their outbox entries in the audit table), the cursor key and the key webhook secrets are sealed
 * with (Encrypt only). No bus, no artifacts, no signing key.
 */
export const EventsConfigSchema = z
  .object({
    ...AUTH_ENV_SHAPE,
    ...ADAPTERS_ENV_SHAPE,
    ...CURSOR_ENV_SHAPE,
    ...LOGGING_ENV_SHAPE,
    ...WEBHOOK_ENV_SHAPE,
  })
  .refine(hasJwksSource, JWKS_SOURCE_MESSAGE)
  .refine(hasCursorKey, CURSOR_KEY_MESSAGE)
  .refine(hasWebhookSecretKey, WEBHOOK_SECRET_KEY_MESSAGE)
  .superRefine(checkSettingsForMode);
export type EventsConfig = z.infer<typeof EventsConfigSchema>;

export const loadEventsConfig = (env: Record<string, string | undefined>): EventsConfig =>
  parseEnv(EventsConfigSchema, env);
