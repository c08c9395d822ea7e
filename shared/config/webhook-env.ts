import { z } from 'zod';
import { OriginListSchema } from './ehr-env.ts';

/**
 * How the webhook functions keep and reach what they need: the key webhook secrets are sealed
 * with (KMS deployed, a key file locally), the delivery queue (SQS deployed; the local platform
 * injects its own), and, locally only, receiver origins on this machine deliveries may reach.
 */
export const WEBHOOK_ENV_SHAPE = {
  /** Deployed: the symmetric KMS key webhook secrets are encrypted with. */
  WEBHOOK_SECRET_KEY_ID: z.string().min(1).optional(),
  /** Local: the 32-byte key file standing in for it (`.data/keys/webhook-secret-key.bin`). */
  LOCAL_WEBHOOK_SECRET_KEY_FILE: z.string().min(1).optional(),
  /** Deployed: the SQS queue deliveries wait in. */
  WEBHOOK_DELIVERY_QUEUE_URL: z.url().optional(),
  /** Local only: receiver origins allowed although they are loopback and plain http. */
  WEBHOOK_LOOPBACK_ORIGINS: OriginListSchema,
};

export const hasWebhookSecretKey = (env: {
  PLATFORM_MODE: string;
  WEBHOOK_SECRET_KEY_ID?: string | undefined;
  LOCAL_WEBHOOK_SECRET_KEY_FILE?: string | undefined;
}) =>
  env.PLATFORM_MODE === 'local'
    ? env.LOCAL_WEBHOOK_SECRET_KEY_FILE !== undefined
    : env.WEBHOOK_SECRET_KEY_ID !== undefined;

export const WEBHOOK_SECRET_KEY_MESSAGE = {
  message: 'set WEBHOOK_SECRET_KEY_ID (deployed) or LOCAL_WEBHOOK_SECRET_KEY_FILE (local platform)',
  path: ['WEBHOOK_SECRET_KEY_ID'],
};

/** Deployed, the queue is required; locally the platform injects its in-process queue. */
export const hasDeliveryQueue = (env: {
  PLATFORM_MODE: string;
  WEBHOOK_DELIVERY_QUEUE_URL?: string | undefined;
}) => env.PLATFORM_MODE === 'local' || env.WEBHOOK_DELIVERY_QUEUE_URL !== undefined;

export const DELIVERY_QUEUE_MESSAGE = {
  message: 'WEBHOOK_DELIVERY_QUEUE_URL is required when deployed: where webhook deliveries wait',
  path: ['WEBHOOK_DELIVERY_QUEUE_URL'],
};
