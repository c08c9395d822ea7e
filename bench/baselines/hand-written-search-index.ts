/**
 * The hand-written search index the marketplace used before MiniSearch (issue #12), kept only as
 * the bench's baseline (`npm run bench:search` prints the engine's figures next to these). No
 * product code imports this file.
 */
const MAX_TERM_LENGTH = 40;
const MAX_QUERY_LENGTH = 512;
const MAX_QUERY_TERMS = 12;

/**
 * Splits free text into search terms: Unicode letters and digits only, lower-cased and stripped of
 * accents. Everything else (regex metacharacters, quotes, operators) is a separator, so no user
 * text ever reaches a regular expression or a query language.
 */
function tokenize(text: string, maxTerms = Number.POSITIVE_INFINITY): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  // Catalogue text is mostly ASCII: skip Unicode normalisation there (it dominates index build time).
  const normalized = ASCII.test(text)
    ? text.toLowerCase()
    : text
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase();
  for (const raw of normalized.split(ASCII.test(normalized) ? ASCII_SEPARATORS : SEPARATORS)) {
    if (raw.length === 0) continue;
    const term = raw.slice(0, MAX_TERM_LENGTH);
    if (seen.has(term)) continue;
    seen.add(term);
    terms.push(term);
    if (terms.length >= maxTerms) break;
  }
  return terms;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is the point
const ASCII = /^[\u0000-\u007f]*$/;
const ASCII_SEPARATORS = /[^a-z0-9]+/;
const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** The terms a user query searches for (bounded in number and length). */
export const parseSearchQuery = (query: string): string[] =>
  tokenize(query.slice(0, MAX_QUERY_LENGTH), MAX_QUERY_TERMS);

/** What the index needs of a catalogue entry; the marketplace maps its entries onto this. */
export interface SearchDocument {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly publisher: string;
  readonly downloads: number;
  readonly rating: number;
  readonly updatedAt: string;
}

export type IndexSort = 'relevance' | 'downloads' | 'rating' | 'updated' | 'name';

export interface IndexQuery {
  readonly terms: readonly string[];
  readonly tags: readonly string[];
  readonly sort: IndexSort;
  readonly offset: number;
  readonly limit: number;
}

export interface IndexResult<T> {
  readonly items: T[];
  readonly total: number;
  readonly facets: { readonly tags: Record<string, number> };
}

/** Field weights: a hit in the name says more about relevance than one in the description. */
const WEIGHTS = { name: 4, tags: 3, publisher: 2, description: 1 } as const;
/** A prefix hit ("sched" → "scheduling") counts less than the whole word. */
const PREFIX_FACTOR = 0.6;
/** A short prefix could expand to most of the vocabulary; this bounds the work per term. */
const MAX_PREFIX_EXPANSIONS = 64;
const MIN_PREFIX_LENGTH = 2;

/** Documents and weights of one term, as parallel arrays (compact, fast to walk). */
interface Posting {
  readonly documents: number[];
  readonly weights: number[];
}
type FixedSort = Exclude<IndexSort, 'relevance'>;

/**
 * An inverted index over the whole catalogue held in memory: term → postings, a sorted vocabulary
 * for prefix search, per-document tag ids for filters and facets, and every fixed sort order
 * precomputed, so a query costs in proportion to its matches rather than to the catalogue.
 * Immutable once built: a refresh builds a new one and swaps it in. Queries run synchronously, so
 * the per-document scratch arrays are shared between them and only touched slots are reset.
 */
export class SearchIndex<T extends SearchDocument> {
  readonly size: number;
  private readonly documents: readonly T[];
  private readonly postings = new Map<string, Posting>();
  private readonly vocabulary: string[];
  private readonly tagNames: string[] = [];
  private readonly tagIds = new Map<string, number>();
  private readonly documentTags: Int32Array[] = [];
  private readonly tagDocuments: number[][] = [];
  private readonly orders: Record<FixedSort, Int32Array>;
  private readonly ranks: Record<FixedSort, Int32Array>;
  private readonly allTagFacets: Record<string, number> = {};
  private readonly scores: Float64Array;
  private readonly hits: Uint8Array;
  private readonly tagCounts: Int32Array;

  constructor(documents: readonly T[]) {
    this.documents = documents;
    this.size = documents.length;
    for (const [index, document] of documents.entries()) this.add(document, index);
    this.vocabulary = [...this.postings.keys()].sort();
    this.scores = new Float64Array(this.size);
    this.hits = new Uint8Array(this.size);
    this.tagCounts = new Int32Array(this.tagNames.length);
    for (const tags of this.documentTags)
      for (const id of tags) this.tagCounts[id] = (this.tagCounts[id] ?? 0) + 1;
    this.tagNames.forEach((tag, id) => {
      this.allTagFacets[tag] = this.tagCounts[id] ?? 0;
    });
    this.tagCounts.fill(0);

    const names = documents.map((document) => document.name.toLowerCase());
    const byName = (a: number, b: number) => compareText(names[a] as string, names[b] as string);
    const sorts: Record<FixedSort, (a: number, b: number) => number> = {
      downloads: (a, b) => this.doc(b).downloads - this.doc(a).downloads || byName(a, b),
      rating: (a, b) => this.doc(b).rating - this.doc(a).rating || byName(a, b),
      updated: (a, b) => compareText(this.doc(b).updatedAt, this.doc(a).updatedAt) || byName(a, b),
      name: (a, b) => byName(a, b) || compareText(this.doc(a).id, this.doc(b).id),
    };
    const orders = {} as Record<FixedSort, Int32Array>;
    const ranks = {} as Record<FixedSort, Int32Array>;
    for (const key of Object.keys(sorts) as FixedSort[]) {
      const order = Int32Array.from(documents.keys()).sort(sorts[key]);
      const rank = new Int32Array(this.size);
      for (let position = 0; position < order.length; position++) rank[order[position] as number] = position;
      orders[key] = order;
      ranks[key] = rank;
    }
    this.orders = orders;
    this.ranks = ranks;
  }

  search(query: IndexQuery): IndexResult<T> {
    const tagIds = query.tags.map((tag) => this.tagIds.get(tag) ?? -1);
    if (tagIds.includes(-1)) return { items: [], total: 0, facets: { tags: {} } };
    if (query.terms.length === 0 && tagIds.length === 0) return this.searchAll(query);
    const touched: number[] = [];
    try {
      const candidates =
        query.terms.length > 0 ? this.scoreTerms(query.terms, touched) : this.withTag(tagIds[0] as number);
      const matched =
        tagIds.length === 0 ? candidates : candidates.filter((index) => this.hasTags(index, tagIds));
      const facets = this.facetsOf(matched);
      const sort = query.sort === 'relevance' && query.terms.length === 0 ? 'downloads' : query.sort;
      const { scores } = this;
      const compare =
        sort === 'relevance'
          ? (a: number, b: number) =>
              (scores[b] as number) - (scores[a] as number) ||
              (this.ranks.downloads[a] as number) - (this.ranks.downloads[b] as number)
          : (a: number, b: number) => (this.ranks[sort][a] as number) - (this.ranks[sort][b] as number);
      const page = topK(matched, query.offset + query.limit, compare).slice(query.offset);
      return { items: page.map((index) => this.doc(index)), total: matched.length, facets: { tags: facets } };
    } finally {
      for (const index of touched) {
        this.hits[index] = 0;
        this.scores[index] = 0;
      }
    }
  }

  private searchAll(query: IndexQuery): IndexResult<T> {
    const order = this.orders[query.sort === 'relevance' ? 'downloads' : query.sort];
    const page = order.subarray(query.offset, query.offset + query.limit);
    return {
      items: Array.from(page, (index) => this.doc(index)),
      total: this.size,
      facets: { tags: { ...this.allTagFacets } },
    };
  }

  /**
   * AND over terms: a document must match every term, by the whole word or as a prefix. `hits`
   * counts the terms each document matched so far, so a document that missed one drops out.
   */
  private scoreTerms(terms: readonly string[], touched: number[]): number[] {
    const { hits, scores } = this;
    for (const [position, term] of terms.entries()) {
      let advanced = 0;
      const visit = (posting: Posting, factor: number) => {
        // Rarer terms discriminate more (inverse document frequency).
        const boost = Math.log(1 + this.size / posting.documents.length) * factor;
        const { documents, weights } = posting;
        for (let item = 0; item < documents.length; item++) {
          const index = documents[item] as number;
          const seen = hits[index] as number;
          if (seen === position) {
            if (position === 0) touched.push(index);
            hits[index] = position + 1;
            scores[index] = (scores[index] as number) + (weights[item] as number) * boost;
            advanced++;
          } else if (seen === position + 1) {
            // A second form of the same term ("lab" and "labs") adds a little, not a full match.
            scores[index] = (scores[index] as number) + (weights[item] as number) * boost * 0.1;
          }
        }
      };
      const exact = this.postings.get(term);
      if (exact) visit(exact, 1);
      if (term.length >= MIN_PREFIX_LENGTH) {
        let expansions = 0;
        for (let index = lowerBound(this.vocabulary, term); index < this.vocabulary.length; index++) {
          const candidate = this.vocabulary[index] as string;
          if (!candidate.startsWith(term) || expansions >= MAX_PREFIX_EXPANSIONS) break;
          if (candidate === term) continue;
          visit(this.postings.get(candidate) as Posting, PREFIX_FACTOR);
          expansions++;
        }
      }
      if (advanced === 0) return [];
    }
    return touched.filter((index) => hits[index] === terms.length);
  }

  private withTag(tagId: number): number[] {
    return [...(this.tagDocuments[tagId] ?? [])];
  }

  private hasTags(index: number, tagIds: readonly number[]): boolean {
    const tags = this.documentTags[index] as Int32Array;
    return tagIds.every((id) => tags.includes(id));
  }

  private facetsOf(matched: readonly number[]): Record<string, number> {
    const counts = this.tagCounts;
    const used: number[] = [];
    for (const index of matched) {
      for (const id of this.documentTags[index] as Int32Array) {
        if (counts[id] === 0) used.push(id);
        counts[id] = (counts[id] as number) + 1;
      }
    }
    const facets: Record<string, number> = {};
    for (const id of used) {
      facets[this.tagNames[id] as string] = counts[id] as number;
      counts[id] = 0;
    }
    return facets;
  }

  private add(document: T, index: number): void {
    const fields: [string, number][] = [
      [document.name, WEIGHTS.name],
      [document.tags.join(' '), WEIGHTS.tags],
      [document.publisher, WEIGHTS.publisher],
      [document.description, WEIGHTS.description],
    ];
    const weightByTerm = new Map<string, number>();
    for (const [text, weight] of fields) {
      for (const term of tokenize(text)) weightByTerm.set(term, (weightByTerm.get(term) ?? 0) + weight);
    }
    for (const [term, weight] of weightByTerm) {
      let posting = this.postings.get(term);
      if (!posting) {
        posting = { documents: [], weights: [] };
        this.postings.set(term, posting);
      }
      posting.documents.push(index);
      posting.weights.push(weight);
    }
    const ids = [...new Set(document.tags)].map((tag) => {
      let id = this.tagIds.get(tag);
      if (id === undefined) {
        id = this.tagNames.length;
        this.tagNames.push(tag);
        this.tagIds.set(tag, id);
        this.tagDocuments[id] = [];
      }
      this.tagDocuments[id]?.push(index);
      return id;
    });
    this.documentTags[index] = Int32Array.from(ids);
  }

  private doc(index: number): T {
    return this.documents[index] as T;
  }
}

/**
 * The first `k` items in `compare` order without sorting all matches: a page is a few dozen items
 * while a broad query can match a large part of the catalogue. Keeps a sorted window of size k.
 */
function topK(items: readonly number[], k: number, compare: (a: number, b: number) => number): number[] {
  if (items.length <= k * 4) return [...items].sort(compare).slice(0, k);
  const window: number[] = [];
  for (const item of items) {
    if (window.length === k && compare(item, window[k - 1] as number) >= 0) continue;
    let low = 0;
    let high = window.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(window[middle] as number, item) <= 0) low = middle + 1;
      else high = middle;
    }
    window.splice(low, 0, item);
    if (window.length > k) window.pop();
  }
  return window;
}

/** Code-unit order on pre-lowered keys: a locale collator costs ~10x more at build time. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
