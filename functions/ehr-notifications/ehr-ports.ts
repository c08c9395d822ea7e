import type { EhrConnectionRepository } from '../../shared/ports/ehr-connection-repository.ts';
import type { EhrSubscriptions } from '../../shared/ports/ehr-subscriptions.ts';
import type { EhrNotificationsConfig } from './config.ts';

/** The two EHR ports this function reads through; their adapters come from other #11 branches. */
export interface EhrNotificationPorts {
  readonly connections: EhrConnectionRepository;
  readonly subscriptions: EhrSubscriptions;
}

/**
 * Not wired yet: the DynamoDB EhrConnectionRepository and the FHIR EhrSubscriptions adapters land
 * with the connection and FHIR-adapter branches of #11. Failing the cold start loudly keeps a
 * deployed function from answering anything until the integrator replaces this with them.
 */
export function wireEhrNotificationPorts(_config: EhrNotificationsConfig): EhrNotificationPorts {
  throw new Error('ehr-notifications: the EHR connection and subscription adapters are not wired yet (#11)');
}
