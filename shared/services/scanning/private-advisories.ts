import type { OsvRecord } from '../../domain/dependency-scan.ts';

/**
 * Advisories an admin added (PUT), marked in `database_specific` so that a refresh from the public
 * feed keeps them beside the export instead of dropping them.
 */
const PRIVATE_MARKER = 'gradiant_private';

export const asPrivateAdvisory = (record: OsvRecord): OsvRecord => ({
  ...record,
  database_specific: { ...record.database_specific, [PRIVATE_MARKER]: true },
});

export const isPrivateAdvisory = (record: OsvRecord): boolean =>
  record.database_specific?.[PRIVATE_MARKER] === true;
