import type { Appointment, Patient } from '../domain/ehr.ts';
import type { EhrCallScope } from './ehr-repository.ts';

export const WATCHED_RESOURCE_TYPES = ['Patient', 'Appointment'] as const;
export type WatchedResourceType = (typeof WATCHED_RESOURCE_TYPES)[number];

/** A record a notification named, as re-read with the platform's own token. */
export type WatchedRecord =
  | { readonly type: 'Patient'; readonly record: Patient }
  | { readonly type: 'Appointment'; readonly record: Appointment };

/** Where the EHR posts its rest-hook notifications, and the secret header it sends with each. */
export interface NotificationHook {
  readonly endpoint: string;
  readonly headerName: string;
  readonly secret: string;
}

/**
 * The tenant's FHIR R4 rest-hook subscriptions (criteria `Patient?` and `Appointment?`, id-only
 * payloads) and the reads that turn a notification into the record it names.
 */
export interface EhrSubscriptions {
  /**
   * Creates, or replaces when one already points at `hook.endpoint`, one `Subscription` per
   * watched type; answers their ids.
   */
  ensure(scope: EhrCallScope, hook: NotificationHook): Promise<string[]>;
  /** The record as the EHR holds it now; undefined when it is gone or not a patient appointment. */
  read(scope: EhrCallScope, type: WatchedResourceType, id: string): Promise<WatchedRecord | undefined>;
}
