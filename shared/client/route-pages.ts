import type { RouteRecord } from '../http/route-record.ts';
import type { HttpTransport } from './http-transport.ts';
import { type Page, PageIterator } from './page-iterator.ts';
import type { ItemOf, RequestParts } from './route-types.ts';

/** A list route as an iterator: the same parts on every page, each page's `cursor` in the query. */
export function pagesOf<Route extends RouteRecord>(
  transport: HttpTransport,
  record: Route,
  parts: Pick<RequestParts, 'path' | 'query'>,
  startCursor?: string,
): PageIterator<ItemOf<Route>> {
  return new PageIterator(async (cursor) => {
    const answer = await transport.send(record, { ...parts, query: { ...parts.query, cursor } });
    return answer.body as Page<ItemOf<Route>>;
  }, startCursor);
}
