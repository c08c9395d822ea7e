/**
 * Compares what a documented block printed with the output sample the guide shows after it. A
 * sample says what must be there, not everything that is: objects may carry more members, `"…"`
 * stands for any value, a string with `…` in it for any text there, and an array whose last item is
 * `"…"` may have more items. Returns every difference, each with its JSON path.
 */
export function jsonSampleMismatches(actual: unknown, sample: unknown, path = '$'): string[] {
  if (typeof sample === 'string' && sample.includes('…')) {
    if (sample === '…') return [];
    return typeof actual === 'string' && ellipsisPattern(sample).test(actual)
      ? []
      : [`${path}: ${JSON.stringify(actual)} is not like ${JSON.stringify(sample)}`];
  }
  if (Array.isArray(sample)) {
    if (!Array.isArray(actual)) return [`${path}: ${JSON.stringify(actual)} is not an array`];
    const isOpen = sample.at(-1) === '…';
    const items = isOpen ? sample.slice(0, -1) : sample;
    if (isOpen ? actual.length < items.length : actual.length !== items.length)
      return [
        `${path}: ${actual.length} items, the sample shows ${isOpen ? 'at least ' : ''}${items.length}`,
      ];
    return items.flatMap((item, index) => jsonSampleMismatches(actual[index], item, `${path}[${index}]`));
  }
  if (typeof sample === 'object' && sample !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
      return [`${path}: ${JSON.stringify(actual)} is not an object`];
    return Object.entries(sample).flatMap(([key, value]) =>
      Object.hasOwn(actual, key)
        ? jsonSampleMismatches((actual as Record<string, unknown>)[key], value, `${path}.${key}`)
        : [`${path}.${key}: missing`],
    );
  }
  return Object.is(actual, sample)
    ? []
    : [`${path}: ${JSON.stringify(actual)} is not ${JSON.stringify(sample)}`];
}

/** The sample's lines that no line of the output matches (in any order; `…` stands for any text). */
export function textSampleMisses(output: string, sample: string): string[] {
  const lines = output.split('\n').map((line) => line.trim());
  return sample
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !lines.some((printed) => ellipsisPattern(line).test(printed)));
}

function ellipsisPattern(sample: string): RegExp {
  const parts = sample.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}
