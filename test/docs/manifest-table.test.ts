import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PluginManifestSchema } from '../../shared/domain/manifest.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of the README's manifest table: field → [required, description]. */
function manifestTable(): Map<string, [string, string]> {
  const section = README.slice(README.indexOf('### The manifest'));
  const rows = new Map<string, [string, string]>();
  for (const line of section.split('\n')) {
    const match = /^\| `([A-Za-z]+)` +\| (yes|no) +\| (.+?) +\|$/.exec(line);
    if (match) rows.set(match[1] as string, [match[2] as string, match[3] as string]);
    else if (rows.size > 0 && !line.startsWith('|')) break;
  }
  return rows;
}

describe('the README manifest table', () => {
  it('lists every metadata field of the schema, with its description and whether it is required', () => {
    const shape = PluginManifestSchema.shape.metadata.shape;

    const table = manifestTable();

    expect([...table.keys()]).toEqual(Object.keys(shape));
    for (const [field, schema] of Object.entries(shape)) {
      const required = schema.safeParse(undefined).success ? 'no' : 'yes';
      expect(table.get(field), field).toEqual([required, schema.meta()?.description]);
    }
  });
});
