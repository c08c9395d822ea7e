import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../../../shared/domain/errors/error-codes.ts';
import { STATUS_BY_CODE } from '../../../../../shared/http/problem.ts';

const GUIDE = readFileSync(new URL('../../../../../docs/integrator-guide.md', import.meta.url), 'utf8');
const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

/** The integrator guide's error-code table: `| \`CODE\` | status | title |` rows. */
const documented = new Map(
  [...GUIDE.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) +\| (.+?) +\|$/gm)].map((row) => [
    String(row[1]),
    { status: Number(row[2]), title: row[3] },
  ]),
);

describe('the error code table', () => {
  it.each(CODES)('documents %s in the integrator guide with its status and title', (code) => {
    expect(documented.get(code)).toEqual({ status: STATUS_BY_CODE[code], title: ERROR_CODES[code].title });
  });

  it('documents no code the table does not have', () => {
    expect([...documented.keys()].filter((code) => !(code in ERROR_CODES))).toEqual([]);
  });

  it('documents VERSION_NOT_NEWER as a 409', () => {
    expect(documented.get('VERSION_NOT_NEWER')?.status).toBe(409);
  });
});
