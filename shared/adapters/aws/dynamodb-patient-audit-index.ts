import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PatientAuditIndex, PatientIndexEntry } from '../../ports/patient-audit-index.ts';
import { patientIndexItem } from './audit-table-items.ts';

/** BatchWriteItem takes at most 25 puts. */
const BATCH = 25;
/** Unprocessed items are written again with backoff this many times before the write rejects. */
const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BASE_DELAY_MS = 50;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The patient index in the audit table (items keyed by record, so writing one again is harmless). */
export class DynamoDbPatientAuditIndex implements PatientAuditIndex {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    client: DynamoDBDocumentClient,
    tableName: string,
    retry: { attempts?: number; baseDelayMs?: number; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.client = client;
    this.tableName = tableName;
    this.attempts = retry.attempts ?? DEFAULT_ATTEMPTS;
    this.baseDelayMs = retry.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.sleep = retry.sleep ?? sleepFor;
  }

  async put(entries: readonly PatientIndexEntry[]): Promise<void> {
    // One item per key in a batch: BatchWriteItem refuses duplicates.
    const items = new Map<string, Record<string, unknown>>();
    for (const entry of entries) {
      const item = patientIndexItem(entry);
      items.set(`${item.PK}\u0000${item.SK}`, item);
    }
    const all = [...items.values()];
    for (let start = 0; start < all.length; start += BATCH) await this.write(all.slice(start, start + BATCH));
  }

  private async write(items: readonly Record<string, unknown>[]): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.client.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
      );
      const unprocessed = result.UnprocessedItems?.[this.tableName] ?? [];
      if (unprocessed.length === 0) return;
      if (attempt >= this.attempts)
        throw new Error(
          `the patient index left ${unprocessed.length} item(s) unwritten after ${attempt} attempts`,
        );
      requests = unprocessed as typeof requests;
      await this.sleep(this.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
