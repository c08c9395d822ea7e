/** A fenced code block of a Markdown file: its info string split into words, its text, its line. */
export interface CodeBlock {
  readonly info: readonly string[];
  readonly code: string;
  readonly line: number;
}

/**
 * The fenced code blocks (CommonMark backtick fences at the start of a line) of a Markdown text.
 * The guides hold no indented or tilde fences, and a fence inside a block would end it early: the
 * block test then sees the rest as an unmarked block and fails, so that cannot go unnoticed.
 */
export function codeBlocksOf(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const opening = /^(`{3,})(.*)$/.exec(lines[index] ?? '');
    if (!opening) continue;
    const fence = opening[1] ?? '```';
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !(lines[index] ?? '').startsWith(fence); index++)
      body.push(lines[index] ?? '');
    blocks.push({
      info: (opening[2] ?? '').trim().split(/\s+/).filter(Boolean),
      code: body.join('\n'),
      line: start + 1,
    });
  }
  return blocks;
}

/**
 * The fenced code blocks of one section of a Markdown text: from the heading whose text is
 * `heading` to the next heading of the same or a higher level (lines inside blocks are no headings).
 */
export function codeBlocksUnder(markdown: string, heading: string): CodeBlock[] {
  const blocks = codeBlocksOf(markdown);
  const isInBlock = (line: number) =>
    blocks.some((block) => line >= block.line && line <= block.line + block.code.split('\n').length);
  const headings = markdown
    .split('\n')
    .map((text, index) => ({ match: /^(#{1,6}) (.*)$/.exec(text), line: index + 1 }))
    .filter(({ match, line }) => match !== null && !isInBlock(line));
  const start = headings.findIndex(({ match }) => match?.[2]?.trim() === heading);
  const opening = headings[start];
  if (!opening?.match) throw new Error(`no heading "${heading}"`);
  const level = opening.match[1]?.length ?? 0;
  const next = headings.slice(start + 1).find(({ match }) => (match?.[1]?.length ?? 0) <= level);
  const end = next?.line ?? Number.POSITIVE_INFINITY;
  return blocks.filter((block) => block.line > opening.line && block.line < end);
}
