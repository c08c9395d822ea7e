/**
 * Key layout of the plugins table: one partition per tenant, so no query can cross tenants.
 *   PK TENANT#<tenant>   SK INSTALL#<plugin>        an installation
 */
export const tenantPartition = (tenantId: string): string => `TENANT#${tenantId}`;
export const installationSortKey = (pluginId: string): string => `INSTALL#${pluginId}`;
export const INSTALLATION_PREFIX = 'INSTALL#';
