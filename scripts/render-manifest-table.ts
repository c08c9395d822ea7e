// Renders the plugin author guide's manifest field table from the zod schema the platform validates
// manifests with, so the guide cannot miss a field or describe one differently from the JSON Schema.
// `node scripts/render-manifest-table.ts` rewrites the table between the markers in
// docs/plugin-author-guide.md; test/docs/manifest-table.test.ts fails when the guide's copy differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { PluginManifestSchema } from '../shared/domain/manifest.ts';

export const MANIFEST_TABLE_BEGIN = '<!-- manifest-table:begin (node scripts/render-manifest-table.ts) -->';
export const MANIFEST_TABLE_END = '<!-- manifest-table:end -->';
export const PLUGIN_AUTHOR_GUIDE = new URL('../docs/plugin-author-guide.md', import.meta.url);

/** A table cell: `|` would end it, and `<host>` would render as an (invisible) HTML tag. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function renderManifestTable(): string {
  const rows = Object.entries(PluginManifestSchema.shape.metadata.shape).map(([field, schema]) => {
    const isRequired = !schema.safeParse(undefined).success;
    const description = schema.meta()?.description ?? '';
    return `| \`${field}\` | ${isRequired ? 'yes' : 'no'} | ${cell(description)} |`;
  });
  return ['| field | required | description |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The guide with its table replaced by a fresh rendering (markers kept). */
export function withManifestTable(guide: string, table = renderManifestTable()): string {
  const begin = guide.indexOf(MANIFEST_TABLE_BEGIN);
  const end = guide.indexOf(MANIFEST_TABLE_END);
  if (begin < 0 || end < begin) throw new Error('the guide has no manifest table markers');
  return `${guide.slice(0, begin + MANIFEST_TABLE_BEGIN.length)}\n\n${table}\n\n${guide.slice(end)}`;
}

if (import.meta.main) {
  writeFileSync(PLUGIN_AUTHOR_GUIDE, withManifestTable(readFileSync(PLUGIN_AUTHOR_GUIDE, 'utf8')));
}
