/** One document the engine matched for a query's words, with its relevance score. */
export interface TextMatch {
  readonly id: string;
  readonly score: number;
}

/** Bounds: popular queries stay, and a flood of distinct broad queries cannot grow memory. */
const MAX_QUERIES = 256;
const MAX_MATCHES = 400_000;

/**
 * What the engine answered per query text, least recently used out first. Text matches depend only
 * on the indexed text (names, descriptions, tags, publishers), which changes a few times a day,
 * while searches repeat all the time; counters, ratings and statuses are read from the current
 * entries after the lookup, so they never go stale here. The owner clears it on every text change.
 */
export class TextMatchCache {
  private readonly answers = new Map<string, readonly TextMatch[]>();
  private matchCount = 0;

  get(key: string): readonly TextMatch[] | undefined {
    const answer = this.answers.get(key);
    if (answer) {
      this.answers.delete(key);
      this.answers.set(key, answer);
    }
    return answer;
  }

  set(key: string, answer: readonly TextMatch[]): void {
    if (answer.length > MAX_MATCHES) return;
    this.answers.set(key, answer);
    this.matchCount += answer.length;
    for (const [oldest, evicted] of this.answers) {
      if (this.answers.size <= MAX_QUERIES && this.matchCount <= MAX_MATCHES) break;
      this.answers.delete(oldest);
      this.matchCount -= evicted.length;
    }
  }

  clear(): void {
    this.answers.clear();
    this.matchCount = 0;
  }
}
