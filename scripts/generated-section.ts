// A part of a Markdown guide rendered from code (a table from the route records, from a schema)
// sits between two HTML comment markers. Its script rewrites it; its test compares the guide's copy
// with a fresh rendering, so the guide cannot drift from the code it describes.
import { readFileSync, writeFileSync } from 'node:fs';

export interface GeneratedSection {
  readonly file: URL;
  readonly begin: string;
  readonly end: string;
  render(): string;
}

function markersOf(markdown: string, section: GeneratedSection): { begin: number; end: number } {
  const begin = markdown.indexOf(section.begin);
  const end = markdown.indexOf(section.end);
  if (begin < 0 || end < begin) throw new Error(`${section.file.pathname} has no ${section.begin} markers`);
  return { begin: begin + section.begin.length, end };
}

/** The section's text as the guide has it, between its markers, trimmed. */
export function sectionTextOf(markdown: string, section: GeneratedSection): string {
  const { begin, end } = markersOf(markdown, section);
  return markdown.slice(begin, end).trim();
}

/** The guide with the section replaced by `content` (a fresh rendering unless given), markers kept. */
export function withSection(markdown: string, section: GeneratedSection, content = section.render()): string {
  const { begin, end } = markersOf(markdown, section);
  return `${markdown.slice(0, begin)}\n\n${content}\n\n${markdown.slice(end)}`;
}

/** Rewrites the section in its guide: what the section's script does when run. */
export function rewriteSection(section: GeneratedSection): void {
  writeFileSync(section.file, withSection(readFileSync(section.file, 'utf8'), section));
}
