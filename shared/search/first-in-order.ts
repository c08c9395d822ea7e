/**
 * The first `count` items in `compare` order without sorting every match: a page is a few dozen
 * items while a broad query can match much of the catalogue. Keeps a sorted window of `count`.
 */
export function firstInOrder<T>(items: readonly T[], count: number, compare: (a: T, b: T) => number): T[] {
  if (items.length <= count * 4) return [...items].sort(compare).slice(0, count);
  const window: T[] = [];
  for (const item of items) {
    if (window.length === count && compare(item, window[count - 1] as T) >= 0) continue;
    let low = 0;
    let high = window.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(window[middle] as T, item) <= 0) low = middle + 1;
      else high = middle;
    }
    window.splice(low, 0, item);
    if (window.length > count) window.pop();
  }
  return window;
}
