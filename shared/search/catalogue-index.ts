import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import { RELEASE_SECURITY_STATUSES } from '../domain/dependency-scan.ts';
import type { CatalogueEntry } from '../domain/marketplace.ts';
import { firstInOrder } from './first-in-order.ts';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, MAX_TERM_LENGTH, type SearchSort } from './search-query.ts';
import { compareEntries } from './search-sorts.ts';

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

/**
 * Accents fold ("café" finds "cafe"); a very long token is cut so fuzzy matching stays bounded.
 * The engine's tokenizer splits on spaces and punctuation but not on tabs, and folding can leave a
 * space ("¨" is a space and a mark): those split here, so no term holds whitespace.
 */
const processTerm = (term: string): string[] =>
  term
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/\s+/u)
    .filter((part) => part.length > 0)
    .map((part) => part.slice(0, MAX_TERM_LENGTH));

const defaultTokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

const ENGINE_OPTIONS: Options<CatalogueEntry> = {
  idField: 'pluginId',
  fields: ['name', 'description', 'tags', 'publisher'],
  extractField: (entry, field) => (field === 'pluginId' ? entry.pluginId : textOf(entry, field)),
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
  tokenize: (text) => defaultTokenize(text.slice(0, MAX_QUERY_LENGTH)).slice(0, MAX_QUERY_TERMS),
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
  (QUERY_OPTIONS.tokenize as (text: string) => string[])(text).flatMap(processTerm);

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
  private readonly entries: Map<string, CatalogueEntry>;

  private constructor(engine: MiniSearch<CatalogueEntry>, entries: Map<string, CatalogueEntry>) {
    this.engine = engine;
    this.entries = entries;
  }

  static build(entries: readonly CatalogueEntry[]): CatalogueIndex {
    const listed = entries.filter(isListed);
    const engine = new MiniSearch<CatalogueEntry>(ENGINE_OPTIONS);
    engine.addAll(listed);
    return new CatalogueIndex(engine, new Map(listed.map((entry) => [entry.pluginId, entry])));
  }

  /**
   * From a snapshot holding the engine's serialized index: faster than indexing the entries again
   * (README, "Cold start"). A serialized index that does not fit the entries (another engine
   * version, a torn snapshot) is ignored and the entries are indexed instead.
   */
  static restore(entries: readonly CatalogueEntry[], serialized: unknown): CatalogueIndex {
    const listed = entries.filter(isListed);
    try {
      const engine = MiniSearch.loadJS<CatalogueEntry>(
        serialized as Parameters<typeof MiniSearch.loadJS>[0],
        ENGINE_OPTIONS,
      );
      if (engine.documentCount === listed.length && listed.every((entry) => engine.has(entry.pluginId))) {
        return new CatalogueIndex(engine, new Map(listed.map((entry) => [entry.pluginId, entry])));
      }
    } catch {
      // Falls through: an unreadable serialized index only costs the slower path.
    }
    return CatalogueIndex.build(entries);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The listed entries, for the snapshot beside the serialized index. */
  listed(): CatalogueEntry[] {
    return [...this.entries.values()];
  }

  /** The engine's state for the snapshot (`restore` reads it back). */
  serialize(): unknown {
    return this.engine.toJSON();
  }

  /** Adds, changes or (when it has no version to offer any more) removes one entry. */
  apply(entry: CatalogueEntry): void {
    const current = this.entries.get(entry.pluginId);
    if (!isListed(entry)) {
      if (!current) return;
      this.entries.delete(entry.pluginId);
      this.engine.discard(entry.pluginId);
      return;
    }
    this.entries.set(entry.pluginId, entry);
    if (!current) this.engine.add(entry);
    else if (!sameText(current, entry)) this.engine.replace(entry);
  }

  query(query: CatalogueQuery): CatalogueMatches {
    const tags = [...new Set(query.tags)];
    const keep = (entry: CatalogueEntry) =>
      (query.verified === undefined || entry.publisherVerified === query.verified) &&
      tags.every((tag) => entry.tags.includes(tag));
    const scores = new Map<string, number>();
    let matched: CatalogueEntry[];
    if (queryTerms(query.text).length === 0) {
      matched = [...this.entries.values()].filter(keep);
    } else {
      matched = this.textMatches(query.text, QUERY_OPTIONS, scores, keep);
      if (matched.length === 0) matched = this.textMatches(query.text, FUZZY_OPTIONS, scores, keep);
    }
    const sort = query.sort === 'relevance' && scores.size === 0 ? 'downloads' : query.sort;
    const compare = compareEntries(sort, scores);
    const page = firstInOrder(matched, query.offset + query.limit, compare).slice(query.offset);
    return { items: page, total: matched.length, facets: facetsOf(matched) };
  }

  private textMatches(
    text: string,
    options: SearchOptions,
    scores: Map<string, number>,
    keep: (entry: CatalogueEntry) => boolean,
  ): CatalogueEntry[] {
    const matched: CatalogueEntry[] = [];
    for (const result of this.engine.search(text, options)) {
      const entry = this.entries.get(result.id as string);
      if (!entry || !keep(entry)) continue;
      scores.set(entry.pluginId, result.score);
      matched.push(entry);
    }
    return matched;
  }
}

/** Counts over every match, not just the page: what a filter would leave if the caller added it. */
function facetsOf(matched: readonly CatalogueEntry[]): CatalogueFacets {
  // A Map, not an object: a tag named like an Object.prototype member must count from zero.
  const tags = new Map<string, number>();
  const verified = { true: 0, false: 0 };
  const securityStatus = Object.fromEntries(RELEASE_SECURITY_STATUSES.map((status) => [status, 0])) as Record<
    (typeof RELEASE_SECURITY_STATUSES)[number],
    number
  >;
  for (const entry of matched) {
    for (const tag of new Set(entry.tags)) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    verified[entry.publisherVerified ? 'true' : 'false'] += 1;
    securityStatus[entry.securityStatus] += 1;
  }
  return { tags: Object.fromEntries(tags), verified, securityStatus };
}
