import { readFileSync } from 'node:fs';

export type JsonFileRead = { ok: true; value: unknown } | { ok: false; message: string };

/** A JSON file's value, or why it could not be read (missing, not JSON), for a problem list. */
export function readJsonFile(path: string): JsonFileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, message: `cannot read ${path}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `${path} is not valid JSON: ${(error as Error).message}` };
  }
}
