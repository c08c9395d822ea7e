import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { matchesStreamFilter } from '../../../../apps/local-platform/stream-filter.ts';
import { OUTBOX_STREAM_FILTER } from '../../../../shared/adapters/aws/audit-table-items.ts';

const record = (eventName: DynamoDBRecord['eventName'], sortKey: string): DynamoDBRecord => ({
  eventName,
  dynamodb: { Keys: { PK: { S: 'TENANT#t-one' }, SK: { S: sortKey } } },
});

describe('the local poller’s filter, as Lambda applies OUTBOX_STREAM_FILTER', () => {
  it('passes new outbox entries only', () => {
    expect(
      matchesStreamFilter(record('INSERT', 'EVT#2030-01-07T12:00:00.000Z#e1'), OUTBOX_STREAM_FILTER),
    ).toBe(true);
    expect(
      matchesStreamFilter(record('MODIFY', 'EVT#2030-01-07T12:00:00.000Z#e1'), OUTBOX_STREAM_FILTER),
    ).toBe(false);
    expect(matchesStreamFilter(record('INSERT', 'CHAIN#HEAD'), OUTBOX_STREAM_FILTER)).toBe(false);
    expect(matchesStreamFilter(record('INSERT', '2030-01-07T12:00:00.000Z#e1'), OUTBOX_STREAM_FILTER)).toBe(
      false,
    );
    expect(matchesStreamFilter({ eventName: 'INSERT' }, OUTBOX_STREAM_FILTER)).toBe(false);
  });
});
