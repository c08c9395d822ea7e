import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sectionTextOf } from '../../scripts/generated-section.ts';
import { MANIFEST_TABLE, renderManifestTable } from '../../scripts/render-manifest-table.ts';
import { PluginManifestSchema } from '../../shared/domain/manifest.ts';

const table = sectionTextOf(readFileSync(MANIFEST_TABLE.file, 'utf8'), MANIFEST_TABLE);

const unescapeCell = (text: string) =>
  text.replaceAll('\\|', '|').replaceAll('&lt;', '<').replaceAll('&gt;', '>');

/** The rows of the guide's table: field → [required, description]. */
function rowsOf(markdown: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const match of markdown.matchAll(/^\| `([A-Za-z]+)` \| (yes|no) \| (.+) \|$/gm))
    rows.set(String(match[1]), [String(match[2]), unescapeCell(String(match[3]))]);
  return rows;
}

describe("the plugin author guide's manifest table", () => {
  it('is the rendering of the manifest schema (node scripts/render-manifest-table.ts)', () => {
    expect(table).toBe(renderManifestTable());
  });

  it('lists every metadata field of the schema, with its description and whether it is required', () => {
    const shape = PluginManifestSchema.shape.metadata.shape;

    const rows = rowsOf(table);

    expect([...rows.keys()]).toEqual(Object.keys(shape));
    for (const [field, schema] of Object.entries(shape)) {
      const required = schema.safeParse(undefined).success ? 'no' : 'yes';
      expect(rows.get(field), field).toEqual([required, schema.meta()?.description]);
    }
  });
});
