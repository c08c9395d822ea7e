import type { DetectedComponent } from '../domain/dependency-scan.ts';

/** Finds known libraries in a bundle's text by their signatures (no SBOM needed). */
export interface BundleScanner {
  detect(code: string): Promise<readonly DetectedComponent[]>;
}
