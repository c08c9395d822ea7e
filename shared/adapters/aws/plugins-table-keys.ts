/**
 * Key layout of the plugins table: one partition per tenant, so no tenant query can cross tenants.
 *   PK TENANT#<tenant>   SK INSTALL#<plugin>     an installation   (GSI1 PLUGIN#<plugin> / TENANT#<tenant>)
 *   PK TENANT#<tenant>   SK POLICY               the tenant policy
 *   PK TENANT#<tenant>   SK EHR#CONNECTION       the tenant's EHR connection (settings, key id; no key material)
 *   PK TENANT#<tenant>   SK IDEMPOTENCY#<key>    a replayable response (expiresAt TTL)
 */
export const tenantPartition = (tenantId: string): string => `TENANT#${tenantId}`;
export const installationSortKey = (pluginId: string): string => `INSTALL#${pluginId}`;
export const pluginIndexKey = (pluginId: string): string => `PLUGIN#${pluginId}`;
export const INSTALLATION_PREFIX = 'INSTALL#';
export const POLICY_SORT_KEY = 'POLICY';
export const EHR_CONNECTION_SORT_KEY = 'EHR#CONNECTION';
export const idempotencySortKey = (scope: string, key: string): string => `IDEMPOTENCY#${scope}#${key}`;
/**
 * Access-monitor state: PK TENANT#<tenant> (or PLATFORM for a key across tenants, e.g. a publisher's
 * marketplace failures), SK MONITOR#<rule>#<subject>, with expiresAt TTL.
 */
export const PLATFORM_PARTITION = 'PLATFORM';
export const monitorSortKey = (rule: string, subjectId: string): string => `MONITOR#${rule}#${subjectId}`;
/**
 * The EHR change ledger: PK TENANT#<tenant>, SK EHRCHANGE#<Patient|Appointment>#<id>, the last
 * version of that record turned into its data event (and an appointment's status and times).
 */
export const ehrChangeSortKey = (type: string, id: string): string => `EHRCHANGE#${type}#${id}`;
