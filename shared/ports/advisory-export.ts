/**
 * The public advisory feed's full export for npm (OSV's `npm/all.zip`): every file's JSON value as
 * it came, unvalidated; the refresh validates each one.
 */
export interface AdvisoryExport {
  download(): Promise<readonly unknown[]>;
}
