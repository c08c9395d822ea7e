import { tokenize } from './search-query.ts';

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

type Posting = Map<number, number>;
type FixedSort = Exclude<IndexSort, 'relevance'>;

/**
 * An inverted index over the whole catalogue held in memory: term → (document → weight), a sorted
 * vocabulary for prefix search, tag → documents for filters and facets, and each fixed sort order
 * precomputed, so a query costs in proportion to its matches rather than to the catalogue.
 * Immutable once built: a refresh builds a new one and swaps it in.
 */
export class SearchIndex<T extends SearchDocument> {
  readonly size: number;
  private readonly documents: readonly T[];
  private readonly postings = new Map<string, Posting>();
  private readonly vocabulary: string[];
  private readonly byTag = new Map<string, number[]>();
  private readonly orders: Record<FixedSort, Int32Array>;
  private readonly ranks: Record<FixedSort, Int32Array>;
  private readonly allTagFacets: Record<string, number>;

  constructor(documents: readonly T[]) {
    this.documents = documents;
    this.size = documents.length;
    for (const [index, document] of documents.entries()) this.add(document, index);
    this.vocabulary = [...this.postings.keys()].sort();
    const compareName = (a: number, b: number) => compareText(this.doc(a).name, this.doc(b).name);
    const orderBy = (compare: (a: number, b: number) => number) => {
      const order = Int32Array.from(documents.keys()).sort(compare);
      const rank = new Int32Array(documents.length);
      order.forEach((documentIndex, position) => {
        rank[documentIndex] = position;
      });
      return { order, rank };
    };
    const sorts: Record<FixedSort, (a: number, b: number) => number> = {
      downloads: (a, b) => this.doc(b).downloads - this.doc(a).downloads || compareName(a, b),
      rating: (a, b) => this.doc(b).rating - this.doc(a).rating || compareName(a, b),
      updated: (a, b) => compareText(this.doc(b).updatedAt, this.doc(a).updatedAt) || compareName(a, b),
      name: (a, b) => compareName(a, b) || compareText(this.doc(a).id, this.doc(b).id),
    };
    const built = Object.fromEntries(
      Object.entries(sorts).map(([key, compare]) => [key, orderBy(compare)]),
    ) as Record<FixedSort, { order: Int32Array; rank: Int32Array }>;
    this.orders = mapValues(built, (value) => value.order);
    this.ranks = mapValues(built, (value) => value.rank);
    this.allTagFacets = Object.fromEntries([...this.byTag].map(([tag, list]) => [tag, list.length]));
  }

  search(query: IndexQuery): IndexResult<T> {
    const matchAll = query.terms.length === 0 && query.tags.length === 0;
    if (matchAll) return this.searchAll(query);
    let scores =
      query.terms.length > 0
        ? this.scoreTerms(query.terms)
        : new Map((this.byTag.get(query.tags[0] as string) ?? []).map((index) => [index, 0]));
    for (const tag of query.tags) scores = intersect(scores, this.byTag.get(tag) ?? []);
    const matched = [...scores.keys()];
    const facets: Record<string, number> = {};
    for (const documentIndex of matched) {
      for (const tag of this.doc(documentIndex).tags) facets[tag] = (facets[tag] ?? 0) + 1;
    }
    const sort = query.sort === 'relevance' && query.terms.length === 0 ? 'downloads' : query.sort;
    if (sort === 'relevance') {
      const rank = this.ranks.downloads;
      matched.sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || at(rank, a) - at(rank, b));
    } else {
      const rank = this.ranks[sort];
      matched.sort((a, b) => at(rank, a) - at(rank, b));
    }
    const page = matched.slice(query.offset, query.offset + query.limit);
    return { items: page.map((index) => this.doc(index)), total: matched.length, facets: { tags: facets } };
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

  /** AND over terms: a document must match every term, by the whole word or as a prefix. */
  private scoreTerms(terms: readonly string[]): Map<number, number> {
    let result: Map<number, number> | undefined;
    for (const term of terms) {
      const termScores = this.scoreTerm(term);
      if (result === undefined) {
        result = termScores;
      } else {
        const next = new Map<number, number>();
        for (const [documentIndex, score] of result) {
          const extra = termScores.get(documentIndex);
          if (extra !== undefined) next.set(documentIndex, score + extra);
        }
        result = next;
      }
      if (result.size === 0) return result;
    }
    return result ?? new Map();
  }

  private scoreTerm(term: string): Map<number, number> {
    const scores = new Map<number, number>();
    const addPosting = (posting: Posting, factor: number) => {
      // Rarer terms discriminate more (inverse document frequency).
      const idf = Math.log(1 + this.size / posting.size);
      for (const [documentIndex, weight] of posting) {
        const score = weight * idf * factor;
        if (score > (scores.get(documentIndex) ?? 0)) scores.set(documentIndex, score);
      }
    };
    const exact = this.postings.get(term);
    if (exact) addPosting(exact, 1);
    if (term.length >= MIN_PREFIX_LENGTH) {
      let expansions = 0;
      for (let index = lowerBound(this.vocabulary, term); index < this.vocabulary.length; index++) {
        const candidate = this.vocabulary[index] as string;
        if (!candidate.startsWith(term) || expansions >= MAX_PREFIX_EXPANSIONS) break;
        if (candidate !== term) {
          const posting = this.postings.get(candidate);
          if (posting) addPosting(posting, PREFIX_FACTOR);
          expansions++;
        }
      }
    }
    return scores;
  }

  private add(document: T, index: number): void {
    const fields: [string, number][] = [
      [document.name, WEIGHTS.name],
      [document.tags.join(' '), WEIGHTS.tags],
      [document.publisher, WEIGHTS.publisher],
      [document.description, WEIGHTS.description],
    ];
    for (const [text, weight] of fields) {
      for (const term of tokenize(text)) {
        let posting = this.postings.get(term);
        if (!posting) {
          posting = new Map();
          this.postings.set(term, posting);
        }
        posting.set(index, (posting.get(index) ?? 0) + weight);
      }
    }
    for (const tag of new Set(document.tags)) {
      const list = this.byTag.get(tag) ?? [];
      list.push(index);
      this.byTag.set(tag, list);
    }
  }

  private doc(index: number): T {
    return this.documents[index] as T;
  }
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const compareText = (a: string, b: string) => collator.compare(a, b);
const at = (array: Int32Array, index: number) => array[index] ?? 0;

function intersect(scores: Map<number, number>, documents: readonly number[]): Map<number, number> {
  const next = new Map<number, number>();
  for (const documentIndex of documents) {
    const score = scores.get(documentIndex);
    if (score !== undefined) next.set(documentIndex, score);
  }
  return next;
}

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

function mapValues<K extends string, V, W>(record: Record<K, V>, map: (value: V) => W): Record<K, W> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value as V)])) as Record<
    K,
    W
  >;
}
