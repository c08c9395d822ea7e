import { createRequire } from 'node:module';
import type IsolatedVm from 'isolated-vm';

export type Ivm = typeof IsolatedVm;

let loaded: Ivm | undefined;

/**
 * Loaded through `require` rather than an ESM import: Node's ESM resolver ignores NODE_PATH, so a
 * bare import fails when isolated-vm comes from a Lambda layer. Loaded lazily, so importing the
 * library (for its types or schemas) never needs the native module.
 */
export function loadIsolatedVm(): Ivm {
  loaded ??= createRequire(import.meta.url)('isolated-vm') as Ivm;
  return loaded;
}
