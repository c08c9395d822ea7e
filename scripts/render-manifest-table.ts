// Renders the plugin author guide's manifest field table from the zod schema the platform validates
// manifests with, so the guide cannot miss a field or describe one differently from the JSON Schema.
// `node scripts/render-manifest-table.ts` rewrites the table between the markers in
// docs/plugin-author-guide.md; test/docs/manifest-table.test.ts fails when the guide's copy differs.
import { PluginManifestSchema } from '../shared/domain/manifest.ts';
import { type GeneratedSection, rewriteSection } from './generated-section.ts';

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

export const MANIFEST_TABLE: GeneratedSection = {
  file: new URL('../docs/plugin-author-guide.md', import.meta.url),
  begin: '<!-- manifest-table:begin (node scripts/render-manifest-table.ts) -->',
  end: '<!-- manifest-table:end -->',
  render: renderManifestTable,
};

if (import.meta.main) rewriteSection(MANIFEST_TABLE);
