/** One page as the list routes answer it (`pageOf(Item)`): `nextCursor` is absent on the last. */
export interface Page<Item> {
  readonly items: readonly Item[];
  readonly nextCursor?: string | undefined;
}

/** The list routes' page size (the server's default when absent) and where to start. */
export interface ListOptions {
  readonly limit?: number;
  /** Start at this cursor (a `nextCursor` of an earlier page). */
  readonly cursor?: string;
}

/**
 * A paginated list: `for await (const item of list)` walks every item across pages, following
 * `nextCursor`; `byPage()` walks the pages themselves (to persist a cursor between runs, say).
 * Nothing is fetched until iteration starts, and each page only when the previous one is used up.
 */
export class PageIterator<Item> implements AsyncIterable<Item> {
  private readonly fetchPage: (cursor: string | undefined) => Promise<Page<Item>>;
  private readonly firstCursor: string | undefined;

  constructor(fetchPage: (cursor: string | undefined) => Promise<Page<Item>>, cursor?: string) {
    this.fetchPage = fetchPage;
    this.firstCursor = cursor;
  }

  async *byPage(): AsyncGenerator<Page<Item>, void, undefined> {
    let cursor = this.firstCursor;
    do {
      const page = await this.fetchPage(cursor);
      yield page;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.byPage()) yield* page.items;
  }

  /** Every item of every page; for lists known to be short (a tenant's installations). */
  async toArray(): Promise<Item[]> {
    const items: Item[] = [];
    for await (const item of this) items.push(item);
    return items;
  }
}
