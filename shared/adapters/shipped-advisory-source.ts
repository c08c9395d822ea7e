import { z } from 'zod';
import shippedAdvisories from '../data/advisories.json' with { type: 'json' };
import { type Advisory, AdvisorySchema } from '../domain/advisory.ts';
import type { AdvisorySource } from '../ports/advisory-source.ts';

/**
 * The advisory set shipped with the platform (shared/data/advisories.json, bundled into each
 * function). Updating it is a data change and a deploy; a feed adapter can implement the same port.
 */
export class ShippedAdvisorySource implements AdvisorySource {
  private readonly byPackage: ReadonlyMap<string, readonly Advisory[]>;

  constructor(advisories: readonly Advisory[]) {
    const byPackage = new Map<string, Advisory[]>();
    for (const advisory of advisories) {
      byPackage.set(advisory.package, [...(byPackage.get(advisory.package) ?? []), advisory]);
    }
    this.byPackage = byPackage;
  }

  static fromData(data: unknown): ShippedAdvisorySource {
    return new ShippedAdvisorySource(z.array(AdvisorySchema).parse(data));
  }

  /** Imported, not read from disk, so the bundler carries the data into each function. */
  static shipped(): ShippedAdvisorySource {
    return ShippedAdvisorySource.fromData(shippedAdvisories);
  }

  async advisoriesFor(packageName: string): Promise<readonly Advisory[]> {
    return this.byPackage.get(packageName) ?? [];
  }
}
