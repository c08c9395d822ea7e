import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE, hasSigningKey, SIGNING_KEY_MESSAGE } from '../../shared/config/adapters-env.ts';
import { CURSOR_ENV_SHAPE, CURSOR_KEY_MESSAGE, hasCursorKey } from '../../shared/config/cursor-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';
import { AUTH_ENV_SHAPE, hasJwksSource, JWKS_SOURCE_MESSAGE } from '../../shared/config/platform-env.ts';
import { PUBLISHER_PROOF_ENV_SHAPE } from '../../shared/config/publisher-proof-env.ts';

export const MarketplaceConfigSchema = z
  .object({
    ...AUTH_ENV_SHAPE,
    ...ADAPTERS_ENV_SHAPE,
    ...CURSOR_ENV_SHAPE,
    ...LOGGING_ENV_SHAPE,
    ...PUBLISHER_PROOF_ENV_SHAPE,
    /**
     * The safety net behind the change feed: a full rebuild of this instance's search index from
     * the table once it is this old (the feed keeps it fresh in between, so this can be long).
     */
    SEARCH_INDEX_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    /** How often a search first reads the change feed: the bound on other instances' writes. */
    SEARCH_SYNC_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  })
  .refine(hasJwksSource, JWKS_SOURCE_MESSAGE)
  .refine(hasSigningKey, SIGNING_KEY_MESSAGE)
  .refine(hasCursorKey, CURSOR_KEY_MESSAGE)
  .superRefine(checkSettingsForMode);
export type MarketplaceConfig = z.infer<typeof MarketplaceConfigSchema>;

export const loadMarketplaceConfig = (env: Record<string, string | undefined>): MarketplaceConfig =>
  parseEnv(MarketplaceConfigSchema, env);
