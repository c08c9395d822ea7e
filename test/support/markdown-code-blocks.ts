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
