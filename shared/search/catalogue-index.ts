import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import { RELEASE_SECURITY_STATUSES } from '../domain/dependency-scan.ts';
import type { CatalogueEntry } from '../domain/marketplace.ts';
import { firstInOrder } from './first-in-order.ts';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, MAX_TERM_LENGTH, type SearchSort } from './search-query.ts';
import { compareRanked, type RankedEntry } from './search-sorts.ts';
import { type TextMatch, TextMatchCache } from './text-match-cache.ts';

export interface CatalogueQuery {
  readonly text: string;
  readonly tags: readonly string[];
  readonly verified?: boolean | undefined;
  readonly sort: SearchSort;
  readonly offset: number;
  readonly limit: number;
}

export interface CatalogueFacets {
  readonly tags: Record<string, number>;
  readonly verified: { true: number; false: number };
  readonly securityStatus: Record<(typeof RELEASE_SECURITY_STATUSES)[number], number>;
}

export interface IndexOptions {
  /** Off only to measure the engine itself (the bench); on everywhere else. */
  readonly cacheTextMatches?: boolean;
}

export interface CatalogueMatches {
  readonly items: CatalogueEntry[];
  readonly total: number;
  readonly facets: CatalogueFacets;
}

/** The text fields search reads; counters and statuses never touch the engine's index. */
const textOf = (entry: CatalogueEntry, field: string): string => {
  if (field === 'tags') return entry.tags.join(' ');
  if (field === 'publisher') return `${entry.author} ${entry.publisherId}`;
  return field === 'name' ? entry.name : entry.description;
};

const defaultTokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** The engine's tokenizer (spaces and punctuation), with tabs and other whitespace as spaces too. */
const tokenize = (text: string): string[] => defaultTokenize(text.replace(/\s/gu, ' '));

/**
 * Accents fold ("café" finds "cafe"); a very long token is cut so fuzzy matching stays bounded.
 * Folding can leave whitespace ("¨" is a space and a mark): it is dropped, so one token stays one term.
 */
const processTerm = (term: string): string =>
  term
    .normalize('NFKD')
    .replace(/[\p{M}\s]+/gu, '')
    .toLowerCase()
    .slice(0, MAX_TERM_LENGTH);

const ENGINE_OPTIONS: Options<CatalogueEntry> = {
  idField: 'pluginId',
  fields: ['name', 'description', 'tags', 'publisher'],
  extractField: (entry, field) => (field === 'pluginId' ? entry.pluginId : textOf(entry, field)),
  tokenize,
  processTerm,
};

/**
 * A hit in the name says most about relevance, then tags, then the publisher. Every word must
 * match (AND, as before), as the whole word or as a prefix ("remind" → "reminder").
 */
const QUERY_OPTIONS: SearchOptions = {
  boost: { name: 4, tags: 3, publisher: 2, description: 1 },
  combineWith: 'AND',
  prefix: (term) => term.length >= 2,
  // A bounded query: however long the text, at most MAX_QUERY_TERMS words reach the engine.
  tokenize: (text) => tokenize(text.slice(0, MAX_QUERY_LENGTH)).slice(0, MAX_QUERY_TERMS),
};

/**
 * Typo tolerance ("apointment" → "appointment"): up to one edit per five letters, two at most;
 * short words get none (every three-letter word is one edit from dozens of others). Tried only
 * when the words as typed match nothing: a fuzzy pass costs about as much as the plain one again,
 * and a query that already matches is not a typo worth widening.
 */
const FUZZY_OPTIONS: SearchOptions = {
  ...QUERY_OPTIONS,
  fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
  maxFuzzy: 2,
};

/** The terms a query searches for, as the engine sees them (a cursor's fingerprint uses these). */
export const queryTerms = (text: string): string[] =>
  (QUERY_OPTIONS.tokenize as (text: string) => string[])(text)
    .map(processTerm)
    .filter((term) => term.length > 0);

/** An entry as held, ready to sort as it is when there is no query to score it (browsing). */
type ListedEntry = RankedEntry & { readonly score: 0 };

const listedEntry = (entry: CatalogueEntry): ListedEntry => ({
  entry,
  nameKey: entry.name.toLowerCase(),
  score: 0,
});

/** Only plugins with a version to offer are discoverable. */
const isListed = (entry: CatalogueEntry) => entry.latestVersion !== undefined;

const sameText = (a: CatalogueEntry, b: CatalogueEntry) =>
  a.name === b.name &&
  a.description === b.description &&
  a.author === b.author &&
  a.publisherId === b.publisherId &&
  a.tags.join('\u0000') === b.tags.join('\u0000');

/**
 * The whole listed catalogue of one instance: MiniSearch (BM25 scoring, prefix and fuzzy matching)
 * over the text fields, the entries themselves beside it for filters, facets and sorts. Changes
 * apply in place; a change to counters or statuses only swaps the entry, not the engine's index.
 */
export class CatalogueIndex {
  private readonly engine: MiniSearch<CatalogueEntry>;
  private readonly entries = new Map<string, ListedEntry>();
  private readonly cache: TextMatchCache | undefined;

  private constructor(
    engine: MiniSearch<CatalogueEntry>,
    entries: readonly CatalogueEntry[],
    options: IndexOptions,
  ) {
    this.engine = engine;
    for (const entry of entries) this.entries.set(entry.pluginId, listedEntry(entry));
    this.cache = options.cacheTextMatches === false ? undefined : new TextMatchCache();
  }

  static build(entries: readonly CatalogueEntry[], options: IndexOptions = {}): CatalogueIndex {
    const listed = entries.filter(isListed);
    const engine = new MiniSearch<CatalogueEntry>(ENGINE_OPTIONS);
    engine.addAll(listed);
    return new CatalogueIndex(engine, listed, options);
  }

  /**
   * From a snapshot holding the engine's serialized index: faster than indexing the entries again
   * (README, "Cold start"). A serialized index that does not fit the entries (another engine
   * version, a torn snapshot) is ignored and the entries are indexed instead.
   */
  static restore(
    entries: readonly CatalogueEntry[],
    serialized: unknown,
    options: IndexOptions = {},
  ): CatalogueIndex {
    const listed = entries.filter(isListed);
    try {
      const engine = MiniSearch.loadJS<CatalogueEntry>(
        serialized as Parameters<typeof MiniSearch.loadJS>[0],
        ENGINE_OPTIONS,
      );
      if (engine.documentCount === listed.length && listed.every((entry) => engine.has(entry.pluginId))) {
        return new CatalogueIndex(engine, listed, options);
      }
    } catch {
      // Falls through: an unreadable serialized index only costs the slower path.
    }
    return CatalogueIndex.build(entries, options);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The listed entries, for the snapshot beside the serialized index. */
  listed(): CatalogueEntry[] {
    return Array.from(this.entries.values(), (listed) => listed.entry);
  }

  /** The engine's state for the snapshot (`restore` reads it back). */
  serialize(): unknown {
    return this.engine.toJSON();
  }

  /** Adds, changes or (when it has no version to offer any more) removes one entry. */
  apply(entry: CatalogueEntry): void {
    const current = this.entries.get(entry.pluginId)?.entry;
    if (!isListed(entry)) {
      if (!current) return;
      this.entries.delete(entry.pluginId);
      this.engine.discard(entry.pluginId);
      this.cache?.clear();
      return;
    }
    this.entries.set(entry.pluginId, listedEntry(entry));
    if (current && sameText(current, entry)) return;
    if (current) this.engine.replace(entry);
    else this.engine.add(entry);
    this.cache?.clear();
  }

  query(query: CatalogueQuery): CatalogueMatches {
    const keep = filterOf(query);
    const matched: RankedEntry[] = [];
    let hasScores = false;
    if (queryTerms(query.text).length === 0) {
      // Held entries already carry score 0: browsing allocates nothing per entry.
      for (const listed of this.entries.values()) if (keep(listed.entry)) matched.push(listed);
    } else {
      hasScores = true;
      let matches = this.textMatches(query.text, 'plain');
      if (matches.length === 0) matches = this.textMatches(query.text, 'fuzzy');
      for (const match of matches) {
        const listed = this.entries.get(match.id);
        if (listed && keep(listed.entry))
          matched.push({ entry: listed.entry, nameKey: listed.nameKey, score: match.score });
      }
    }
    const sort = query.sort === 'relevance' && !hasScores ? 'downloads' : query.sort;
    const page = firstInOrder(matched, query.offset + query.limit, compareRanked(sort)).slice(query.offset);
    return {
      items: page.map((ranked) => ranked.entry),
      total: matched.length,
      facets: facetsOf(matched),
    };
  }

  private textMatches(text: string, mode: 'plain' | 'fuzzy'): readonly TextMatch[] {
    const key = `${mode}\u0000${queryTerms(text).join('\u0000')}`;
    const cached = this.cache?.get(key);
    if (cached) return cached;
    const options = mode === 'plain' ? QUERY_OPTIONS : FUZZY_OPTIONS;
    const matches = this.engine
      .search(text, options)
      .map((result) => ({ id: result.id as string, score: result.score }));
    this.cache?.set(key, matches);
    return matches;
  }
}

/** The filters of a query as one test; without filters, a constant (this runs per match). */
function filterOf(query: CatalogueQuery): (entry: CatalogueEntry) => boolean {
  const tags = [...new Set(query.tags)];
  const { verified } = query;
  if (tags.length === 0 && verified === undefined) return () => true;
  return (entry) => {
    if (verified !== undefined && entry.publisherVerified !== verified) return false;
    for (const tag of tags) if (!entry.tags.includes(tag)) return false;
    return true;
  };
}

/** Counts over every match, not just the page: what a filter would leave if the caller added it. */
function facetsOf(matched: readonly RankedEntry[]): CatalogueFacets {
  // A Map, not an object: a tag named like an Object.prototype member must count from zero.
  const tags = new Map<string, number>();
  const verified = { true: 0, false: 0 };
  const securityStatus = Object.fromEntries(RELEASE_SECURITY_STATUSES.map((status) => [status, 0])) as Record<
    (typeof RELEASE_SECURITY_STATUSES)[number],
    number
  >;
  let verifiedCount = 0;
  let advisoryCount = 0;
  for (const { entry } of matched) {
    const entryTags = entry.tags;
    for (let position = 0; position < entryTags.length; position++) {
      const tag = entryTags[position] as string;
      // Counted once per entry even if listed twice, without a Set per entry (this runs per match).
      if (entryTags.indexOf(tag) === position) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    }
    if (entry.publisherVerified) verifiedCount++;
    if (entry.securityStatus === 'advisory') advisoryCount++;
  }
  verified.true = verifiedCount;
  verified.false = matched.length - verifiedCount;
  securityStatus.advisory = advisoryCount;
  securityStatus.clean = matched.length - advisoryCount;
  return { tags: Object.fromEntries(tags), verified, securityStatus };
}
