import { readFileSync } from 'node:fs';

/** A recorded FHIR R4 resource from test/fixtures/fhir, as a fresh object each time. */
export function fhirFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/fhir/${name}.json`, import.meta.url), 'utf8')) as T;
}
