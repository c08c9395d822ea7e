// `gradiant-plugins/testing`: the CLI's fixture host, for a plugin project's own tests with
// `SupervisedSandbox` from `gradiant-plugins/sandbox` (what `run --fixtures` does).
import { type Fixtures, FixturesSchema } from './fixture-host.ts';

export { createFixtureHost, DEFAULT_TENANT_ID, type Fixtures, FixturesSchema } from './fixture-host.ts';

/** A fixtures file's text, checked with the format `run --fixtures` reads. */
export function parseFixtures(text: string): Fixtures {
  return FixturesSchema.parse(JSON.parse(text));
}
