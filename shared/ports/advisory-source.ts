import type { Advisory } from '../domain/advisory.ts';

/** Where advisories come from: the shipped seed set, replaceable by an updatable feed. */
export interface AdvisorySource {
  advisoriesFor(packageName: string): Promise<readonly Advisory[]>;
}
