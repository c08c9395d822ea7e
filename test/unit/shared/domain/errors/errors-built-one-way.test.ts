import { globSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../../..');
const ERROR_FAMILIES = 'shared/domain/errors/';

const sources = ['shared', 'functions', 'apps'].flatMap((folder) =>
  globSync(`${folder}/**/*.ts`, { cwd: ROOT }).map((path) => relative(ROOT, join(ROOT, path))),
);

/**
 * Every refusal is built by its factory in shared/domain/errors (one module per family of codes),
 * so its code, message and field are written once; nothing else constructs or subclasses the
 * error class.
 */
describe('errors are built one way', () => {
  it('constructs and subclasses the error class only in the error families', () => {
    const offenders = sources
      .filter((path) => !path.startsWith(ERROR_FAMILIES))
      .filter((path) =>
        /new DomainError\(|extends DomainError\b/.test(readFileSync(join(ROOT, path), 'utf8')),
      );
    expect(sources.length).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });
});
