import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditPartition,
  DynamoDbOutbox,
  OUTBOX_SORT_PREFIX,
  outboxEntryOfBody,
} from '../../../../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbInstallationRepository } from '../../../../../shared/adapters/aws/dynamodb-installation-repository.ts';
import { DynamoDbTenantPolicyRepository } from '../../../../../shared/adapters/aws/dynamodb-tenant-policy-repository.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import type { Installation } from '../../../../../shared/domain/installation.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../../shared/domain/tenant-policy.ts';
import { systemClock } from '../../../../../shared/ports/clock.ts';
import { uuidGenerator } from '../../../../../shared/ports/id-generator.ts';
import { type AuditTrail, audited } from '../../../../../shared/services/audit/audit-trail.ts';
import { platformEvent } from '../../../../../shared/services/platform-event.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';
import { anInstallation } from '../../../../support/installation-factory.ts';

/** A change and its outbox entries against DynamoDB Local: both tables, one transaction. */
describe('outbox writes against DynamoDB Local', () => {
  let client: DynamoDBDocumentClient;
  let auditTable: string;
  let installations: DynamoDbInstallationRepository;
  let policies: DynamoDbTenantPolicyRepository;
  let trail: AuditTrail;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    client = documentClient;
    auditTable = names.audit;
    installations = new DynamoDbInstallationRepository(documentClient, names.plugins, names.audit);
    policies = new DynamoDbTenantPolicyRepository(documentClient, names.plugins, names.audit);
    trail = {
      outbox: new DynamoDbOutbox(documentClient, names.audit),
      ids: uuidGenerator,
      clock: systemClock,
      auditRetry: { attempts: 1, baseDelayMs: 0 },
    };
  });

  /** The tenant's outbox entries as stored: name, and outcome for audit records. */
  async function outboxOf(tenantId: string) {
    const result = await client.send(
      new QueryCommand({
        TableName: auditTable,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': auditPartition(tenantId), ':prefix': OUTBOX_SORT_PREFIX },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map((item) => {
      const entry = outboxEntryOfBody(String(item.body));
      const outcome = (entry.detail as { outcome?: string }).outcome;
      return outcome ? `${entry.name} ${outcome}` : entry.name;
    });
  }

  /** An install as the lifecycle writes it: the installation, its record and `plugin:installed`. */
  const install = (installation: Installation) =>
    audited(
      trail,
      {
        action: 'plugin:install',
        actor: `${installation.tenantId}/admin-1`,
        tenantId: installation.tenantId,
        pluginId: installation.pluginId,
      },
      (commit) => {
        const installed = platformEvent(
          'plugin:installed',
          installation.tenantId,
          { tenantId: installation.tenantId, pluginId: installation.pluginId, version: installation.version },
          trail,
        );
        return installations.create(installation, commit({ version: installation.version }, [installed]));
      },
    );

  it('commits an install with its audit record and plugin:installed, and a conflicting one with neither', async () => {
    const tenantId = TenantIdSchema.parse('t-outbox-install');
    const installation = anInstallation({ tenantId, pluginId: 'p1' });

    await install(installation);
    const afterInstall = await outboxOf(tenantId);
    await expect(install({ ...installation, version: '2.0.0' })).rejects.toMatchObject({
      code: 'ALREADY_INSTALLED',
    });

    expect(afterInstall.sort()).toEqual(['audit:plugin:install success', 'plugin:installed']);
    expect((await installations.get(tenantId, installation.pluginId))?.version).toBe('1.0.0');
    // The refused create committed no new success record nor event; only its refusal was appended.
    expect((await outboxOf(tenantId)).sort()).toEqual([
      'audit:plugin:install refused',
      'audit:plugin:install success',
      'plugin:installed',
    ]);
  });

  it('commits a policy version with its record, and a stale write with none', async () => {
    const tenantId = TenantIdSchema.parse('t-outbox-policy');
    const put = (expectedVersion: number) =>
      audited(trail, { action: 'policy:update', actor: `${tenantId}/admin-1`, tenantId }, (commit) =>
        policies.put(tenantId, DEFAULT_TENANT_POLICY, expectedVersion, 'admin-1', new Date(), commit()),
      );

    await put(0);
    await expect(put(0)).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' });

    expect((await policies.get(tenantId)).version).toBe(1);
    expect((await outboxOf(tenantId)).sort()).toEqual([
      'audit:policy:update refused',
      'audit:policy:update success',
    ]);
  });
});
