import type { Bundle, BundleLink } from '@medplum/fhirtypes';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 1000;

/** `_count` as asked, else a default page, capped as real servers cap it. */
export function pageSizeOf(searchParams: URLSearchParams): number {
  const count = Number(searchParams.get('_count') ?? DEFAULT_PAGE_SIZE);
  return Number.isInteger(count) && count > 0 ? Math.min(count, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
}

/**
 * MemoryRepository answers a page without links; real servers page with absolute `self`, `next`
 * and `previous` URLs under the base (here by `_offset`), and give each entry its `fullUrl`.
 */
export function withPagingLinks(bundle: Bundle, searchUrl: string, searchParams: URLSearchParams): Bundle {
  const count = pageSizeOf(searchParams);
  const offset = Number(searchParams.get('_offset') ?? 0) || 0;
  const pageUrl = (pageOffset: number) => {
    const params = new URLSearchParams(searchParams);
    params.set('_count', String(count));
    params.set('_offset', String(pageOffset));
    return `${searchUrl}?${params}`;
  };
  const link: BundleLink[] = [{ relation: 'self', url: pageUrl(offset) }];
  if (bundle.total !== undefined && offset + count < bundle.total) {
    link.push({ relation: 'next', url: pageUrl(offset + count) });
  }
  if (offset > 0) link.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) });
  const baseUrl = searchUrl.slice(0, searchUrl.lastIndexOf('/'));
  return {
    ...bundle,
    link,
    entry: bundle.entry?.map((entry) => ({
      fullUrl: `${baseUrl}/${entry.resource?.resourceType}/${entry.resource?.id}`,
      ...entry,
    })),
  };
}
