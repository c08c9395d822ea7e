import { createHash } from 'node:crypto';
import retire from 'retire/lib/retire.js';
import type { Repository } from 'retire/lib/types.js';
import signatures from '../data/retire-jsrepository.json' with { type: 'json' };
import type { DetectedComponent } from '../domain/dependency-scan.ts';
import type { BundleScanner } from '../ports/bundle-scanner.ts';

const sha1Hasher = { sha1: (data: string) => createHash('sha1').update(data).digest('hex') };

/**
 * Finds bundled libraries by retire.js's content signatures (banners, version strings, file
 * hashes), so a hand-made bundle is scanned whatever its publisher declared. Only what was found
 * is kept: which versions are vulnerable is the advisory database's answer, not retire's.
 * The repository (shared/data/retire-jsrepository.json, retire's jsrepository-v5.json) carries
 * `§§version§§` placeholders that retire's own loader replaces before use; so does this one.
 */
export class RetireBundleScanner implements BundleScanner {
  private readonly source: unknown;
  private repository: Repository | undefined;

  constructor(repository: unknown = signatures) {
    this.source = repository;
  }

  static shipped(): RetireBundleScanner {
    shipped ??= new RetireBundleScanner();
    return shipped;
  }

  async detect(code: string): Promise<readonly DetectedComponent[]> {
    // Prepared on first use, so functions that never scan do not pay for it at cold start.
    this.repository ??= JSON.parse(retire.replaceVersion(JSON.stringify(this.source))) as Repository;
    const found = new Map<string, DetectedComponent>();
    for (const detection of retire.scanFileContent(code, this.repository, sha1Hasher)) {
      const name = detection.npmname ?? detection.component;
      found.set(`${name}@${detection.version}`, {
        name,
        version: detection.version,
        source: 'bundle-content',
      });
    }
    return [...found.values()];
  }
}

let shipped: RetireBundleScanner | undefined;
