/** Inline artifacts up to 1 MiB; the sandbox refuses larger results too. `build` and `validate` check it offline. */
export const MAX_ARTIFACT_BYTES = 1024 * 1024;
