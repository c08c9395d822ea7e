import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const FILES = ['README.md', ...readdirSync(new URL('docs/', ROOT)).map((name) => `docs/${name}`)].filter(
  (file) => file.endsWith('.md'),
);
const textOf = (file: string) => readFileSync(new URL(file, ROOT), 'utf8');
const withoutCodeBlocks = (markdown: string) => markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const headings = [...withoutCodeBlocks(markdown).matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
    String(match[1]),
  );
  return new Set(
    headings.map((heading) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}_\- ]/gu, '')
        .replaceAll(' ', '-'),
    ),
  );
}

/** Links to a heading, in this file or another Markdown file of the repository: `[…](file#anchor)`. */
function anchorLinksOf(file: string): { target: string; anchor: string }[] {
  const text = withoutCodeBlocks(textOf(file)).replaceAll('\n', ' ');
  return [...text.matchAll(/\]\(([^)#\s]*\.md|)#([^)\s]+)\)/g)].map((match) => {
    const target = match[1]
      ? new URL(match[1], new URL(file, ROOT)).pathname.slice(ROOT.pathname.length)
      : file;
    return { target, anchor: String(match[2]) };
  });
}

describe.each(FILES)('the links of %s', (file) => {
  it('point at headings that exist', () => {
    const broken = anchorLinksOf(file).filter(({ target, anchor }) => !anchorsOf(textOf(target)).has(anchor));

    expect(broken).toEqual([]);
  });

  it('link to something', () => {
    expect(anchorLinksOf(file).length).toBeGreaterThan(0);
  });
});
