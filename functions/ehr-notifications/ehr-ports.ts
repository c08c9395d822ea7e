import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../shared/ports/clock.ts';
import type { EhrConnectionRepository } from '../../shared/ports/ehr-connection-repository.ts';
import type { EhrSubscriptions } from '../../shared/ports/ehr-subscriptions.ts';
import { createFhirEhr } from '../../shared/wiring/fhir-ehr.ts';
import type { EhrNotificationsConfig } from './config.ts';

/** The two EHR ports this function reads through. */
export interface EhrNotificationPorts {
  readonly connections: EhrConnectionRepository;
  readonly subscriptions: EhrSubscriptions;
}

/** The tenants' connections, and their FHIR servers as re-read with the platform's own tokens. */
export function wireEhrNotificationPorts(
  config: EhrNotificationsConfig,
  documentClient: DynamoDBDocumentClient,
  clock: Clock,
): EhrNotificationPorts {
  const ehr = createFhirEhr(config, documentClient, clock);
  return { connections: ehr.connections, subscriptions: ehr.repository };
}
