import { readFileSync } from 'node:fs';
import { type ParsedCommand, UsageError } from './publish-cli-types.ts';

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} ${path}`);
  }
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} is not valid JSON`);
  }
}

export function text(options: ParsedCommand['options'], name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** A plugin's input from `--input JSON` or `--input-file F` (not both), `fallback` without either. */
export function inputOf(options: ParsedCommand['options'], fallback: unknown): unknown {
  const inputText = text(options, 'input');
  const inputFile = text(options, 'inputFile');
  if (inputText !== undefined && inputFile !== undefined) {
    throw new UsageError('pass either --input or --input-file, not both');
  }
  if (inputText !== undefined) return parseJson(inputText, '--input');
  if (inputFile !== undefined) return parseJson(readText(inputFile, 'input file'), `input file ${inputFile}`);
  return fallback;
}

/** commander's collector for repeatable options (`--grant a --grant b`). */
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];
