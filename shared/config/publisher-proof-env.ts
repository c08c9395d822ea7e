import { z } from 'zod';

/**
 * How the marketplace checks publishers' domain proofs. Locally only (no public DNS or https on
 * this machine): the origin of the well-known stand-in that `.localhost` domains are fetched from,
 * the one loopback address the proof fetch may reach; a deployed config refuses the setting.
 */
export const PUBLISHER_PROOF_ENV_SHAPE = {
  PUBLISHER_PROOF_LOOPBACK_ORIGIN: z
    .url()
    .optional()
    .transform((value) => (value === undefined || value === '' ? undefined : new URL(value).origin)),
};
