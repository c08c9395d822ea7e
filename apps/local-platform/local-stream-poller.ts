import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Logger } from '../../shared/observability/logger.ts';
import { matchesStreamFilter } from './stream-filter.ts';

type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  /** The deployed consumer's handler, called as the event source mapping would call it. */
  readonly handler: StreamHandler;
  readonly filter: Parameters<typeof matchesStreamFilter>[1];
  /** Where each shard's last delivered sequence number is kept, so a restart resumes after it. */
  readonly checkpointFile: string;
  readonly logger: Logger;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
}

export interface StreamPoller {
  /** One pass over every open shard until each is caught up (tests call it to drain the stream). */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

interface ShardState {
  iterator?: string | undefined;
  isClosed: boolean;
}

const DEFAULT_POLL_INTERVAL_MS = 250;
const DEFAULT_BATCH_SIZE = 100;

const nameOf = (error: unknown) => (error instanceof Error ? error.name : typeof error);

/** A GetRecords record in the shape Lambda hands a DynamoDB stream consumer. */
function lambdaRecordOf(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const change = record.dynamodb;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(change?.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(change.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      Keys: change?.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: change?.NewImage as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      SequenceNumber: change?.SequenceNumber,
      SizeBytes: change?.SizeBytes,
      StreamViewType: change?.StreamViewType,
    },
  };
}

/**
 * The local stand-in for Lambda's event source mapping on the audit table's stream (DynamoDB
 * Local): walks the shards (a child after its parent), applies the same filter, and calls the same
 * handler with batches in stream order. A batch item failure is read again from that record on the
 * next poll, for as long as it takes: nothing is skipped. Each shard's progress is checkpointed in
 * the data directory, so a restart resumes where it stopped (or at the oldest record of a new shard).
 */
export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const limit = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const shards = new Map<string, ShardState>();
  const checkpoints: Record<string, string> = existsSync(options.checkpointFile)
    ? (JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Record<string, string>)
    : {};
  let streamArn: string | undefined;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const saveCheckpoint = (shardId: string, sequenceNumber: string) => {
    checkpoints[shardId] = sequenceNumber;
    mkdirSync(dirname(options.checkpointFile), { recursive: true });
    writeFileSync(options.checkpointFile, JSON.stringify(checkpoints));
  };

  async function latestStreamArn(): Promise<string> {
    if (streamArn) return streamArn;
    const table = await options.dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn) throw new Error(`table ${options.tableName} has no stream`);
    streamArn = arn;
    return arn;
  }

  async function listShards(arn: string): Promise<Shard[]> {
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await options.streams.send(
        new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }),
      );
      all.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return all;
  }

  async function iteratorAt(arn: string, shardId: string, after?: string, at?: string) {
    const position = at
      ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const, SequenceNumber: at }
      : after
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: after }
        : { ShardIteratorType: 'TRIM_HORIZON' as const };
    try {
      const result = await options.streams.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ...position }),
      );
      return result.ShardIterator;
    } catch (error) {
      // A checkpoint older than the stream keeps (24 h): start at the oldest record there is.
      if ((after || at) && nameOf(error) === 'TrimmedDataAccessException') return iteratorAt(arn, shardId);
      throw error;
    }
  }

  /** Delivers one shard's records until it is caught up; answers how many were handed over. */
  async function drainShard(arn: string, shardId: string, state: ShardState): Promise<number> {
    let delivered = 0;
    state.iterator ??= await iteratorAt(arn, shardId, checkpoints[shardId]);
    while (state.iterator && !stopping) {
      let page: GetRecordsCommandOutput;
      try {
        page = await options.streams.send(
          new GetRecordsCommand({ ShardIterator: state.iterator, Limit: limit }),
        );
      } catch (error) {
        const name = nameOf(error);
        if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
        // The position is gone (trimmed, or an iterator kept too long): start the shard again from
        // its checkpoint, or its oldest record; every step downstream is idempotent by entry id.
        state.iterator = await iteratorAt(arn, shardId, checkpoints[shardId]);
        return delivered;
      }
      const records = (page.Records ?? []).map((record) => lambdaRecordOf(record, arn));
      const passed = records.filter((record) => matchesStreamFilter(record, options.filter));
      const lastSequence = records.at(-1)?.dynamodb?.SequenceNumber;
      if (passed.length > 0) {
        const response = await options.handler({ Records: passed });
        const [firstFailure] = response?.batchItemFailures ?? [];
        if (firstFailure) {
          const failedAt = passed.findIndex(
            (record) => record.dynamodb?.SequenceNumber === firstFailure.itemIdentifier,
          );
          const before = failedAt > 0 ? passed[failedAt - 1]?.dynamodb?.SequenceNumber : undefined;
          if (before) saveCheckpoint(shardId, before);
          // Read again from the failed record on the next poll, as Lambda retries the batch.
          state.iterator = await iteratorAt(arn, shardId, undefined, firstFailure.itemIdentifier);
          options.logger.warn('stream records were not delivered; they are read again', {
            shardId,
            failedFrom: firstFailure.itemIdentifier,
          });
          return delivered + Math.max(0, failedAt);
        }
        delivered += passed.length;
      }
      if (lastSequence) saveCheckpoint(shardId, lastSequence);
      state.iterator = page.NextShardIterator;
      if (!state.iterator) state.isClosed = true;
      if (records.length === 0) break;
    }
    return delivered;
  }

  async function pass(): Promise<number> {
    const arn = await latestStreamArn();
    const described = await listShards(arn);
    const known = new Set(described.map((shard) => shard.ShardId));
    let delivered = 0;
    for (const shard of described) {
      const shardId = shard.ShardId;
      if (!shardId) continue;
      const state = shards.get(shardId) ?? { isClosed: false };
      shards.set(shardId, state);
      if (state.isClosed) continue;
      // A child shard waits for its parent: records of one key stay in order across a split.
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !shards.get(parent)?.isClosed) continue;
      delivered += await drainShard(arn, shardId, state);
    }
    return delivered;
  }

  const pollOnce = (): Promise<number> => {
    // One pass at a time: the timer's and a test's share it.
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (stopping) return;
    timer = setTimeout(async () => {
      try {
        await pollOnce();
      } catch (error) {
        options.logger.warn('the audit stream could not be polled; trying again', {
          errorName: nameOf(error),
        });
      }
      schedule();
    }, interval);
  };
  schedule();

  return {
    pollOnce,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
