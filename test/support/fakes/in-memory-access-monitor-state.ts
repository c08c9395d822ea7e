import type {
  AccessMonitorState,
  AccessMonitorStateKey,
  StoredMonitorState,
} from '../../../shared/ports/access-monitor-state.ts';

const keyOf = (key: AccessMonitorStateKey) => `${key.tenantId ?? '*'}|${key.rule}|${key.subjectId}`;

/** Keeps blobs as JSON, as the DynamoDB adapter does, so no test shares an object with the detector. */
export class InMemoryAccessMonitorState implements AccessMonitorState {
  readonly items = new Map<string, { json: string; version: number; expiresAt: Date }>();
  /** Conflicts to answer before the next writes succeed (a concurrent detector's write). */
  conflictsToInject = 0;

  async get(key: AccessMonitorStateKey, now: Date): Promise<StoredMonitorState> {
    const item = this.items.get(keyOf(key));
    if (!item) return { version: 0 };
    if (item.expiresAt <= now) return { version: item.version };
    return { data: JSON.parse(item.json), version: item.version };
  }

  async put(
    key: AccessMonitorStateKey,
    data: unknown,
    expectedVersion: number,
    expiresAt: Date,
  ): Promise<boolean> {
    if (this.conflictsToInject > 0) {
      this.conflictsToInject -= 1;
      return false;
    }
    const current = this.items.get(keyOf(key))?.version ?? 0;
    if (current !== expectedVersion) return false;
    this.items.set(keyOf(key), { json: JSON.stringify(data), version: expectedVersion + 1, expiresAt });
    return true;
  }
}
