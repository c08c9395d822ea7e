import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAccessMonitorState } from '../../../../../shared/adapters/aws/dynamodb-access-monitor-state.ts';
import type { AccessMonitorStateKey } from '../../../../../shared/ports/access-monitor-state.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

const NOW = new Date(Date.UTC(2030, 0, 7, 12));
const LATER = new Date(NOW.getTime() + 3600_000);

describe('DynamoDbAccessMonitorState against DynamoDB Local', () => {
  let tables: Awaited<ReturnType<typeof createTestTables>>;
  let state: DynamoDbAccessMonitorState;

  beforeAll(async () => {
    tables = await createTestTables();
    state = new DynamoDbAccessMonitorState(tables.documentClient, tables.names.plugins);
  });

  const key = (subjectId: string, tenantId = 't-one'): AccessMonitorStateKey => ({
    rule: 'PermissionDenialBurst',
    tenantId,
    subjectId,
  });
  const platformKey = (subjectId: string): AccessMonitorStateKey => ({
    rule: 'PublisherVerificationFailures',
    subjectId,
  });

  it('answers version 0 and no data for a key never written, then what was written', async () => {
    const blob = { entries: [{ id: 'r-1', atMs: NOW.getTime(), weight: 3 }] };

    const before = await state.get(key('fresh'), NOW);
    const written = await state.put(key('fresh'), blob, 0, LATER);
    const after = await state.get(key('fresh'), NOW);

    expect(before).toEqual({ version: 0 });
    expect(written).toBe(true);
    expect(after).toEqual({ data: blob, version: 1 });
  });

  it('writes only on the version read: the second of two writers on one version loses', async () => {
    await state.put(key('race'), { n: 0 }, 0, LATER);

    const [first, second] = await Promise.all([
      state.put(key('race'), { n: 1 }, 1, LATER),
      state.put(key('race'), { n: 2 }, 1, LATER),
    ]);
    const createAgain = await state.put(key('race'), { n: 3 }, 0, LATER);

    expect([first, second].sort()).toEqual([false, true]);
    expect(createAgain).toBe(false);
    expect((await state.get(key('race'), NOW)).version).toBe(2);
  });

  it('keeps each key in its tenant’s partition with an expiresAt TTL, and a platform-wide key apart', async () => {
    await state.put(key('acme'), { tenant: true }, 0, LATER);
    await state.put(platformKey('acme'), { platform: true }, 0, LATER);

    const item = await tables.documentClient.send(
      new GetCommand({
        TableName: tables.names.plugins,
        Key: { PK: 'TENANT#t-one', SK: 'MONITOR#PermissionDenialBurst#acme' },
      }),
    );

    expect(item.Item).toMatchObject({ expiresAt: Math.floor(LATER.getTime() / 1000), version: 1 });
    expect((await state.get(key('acme'), NOW)).data).toEqual({ tenant: true });
    expect((await state.get(platformKey('acme'), NOW)).data).toEqual({ platform: true });
    expect(
      (
        await tables.documentClient.send(
          new GetCommand({
            TableName: tables.names.plugins,
            Key: { PK: 'PLATFORM', SK: 'MONITOR#PublisherVerificationFailures#acme' },
          }),
        )
      ).Item,
    ).toBeDefined();
    expect((await state.get(key('acme', 't-two'), NOW)).version).toBe(0);
  });

  it('reads an expired item as empty but keeps its version, so the next write still succeeds', async () => {
    await state.put(key('stale'), { old: true }, 0, LATER);
    const afterExpiry = new Date(LATER.getTime() + 1000);

    const read = await state.get(key('stale'), afterExpiry);
    const rewritten = await state.put(key('stale'), { fresh: true }, read.version, afterExpiry);

    expect(read).toEqual({ version: 1 });
    expect(rewritten).toBe(true);
  });
});
