import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOutbox } from '../adapters/aws/audit-table-items.ts';
import { systemClock } from '../ports/clock.ts';
import { uuidGenerator } from '../ports/id-generator.ts';
import type { AuditTrail } from '../services/audit/audit-trail.ts';

/** The audit trail every function appends to: the outbox in the audit table, real ids and time. */
export const createAuditTrail = (client: DynamoDBDocumentClient, auditTable: string): AuditTrail => ({
  outbox: new DynamoDbOutbox(client, auditTable),
  ids: uuidGenerator,
  clock: systemClock,
});
