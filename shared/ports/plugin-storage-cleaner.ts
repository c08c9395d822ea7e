/** Removes a plugin's per-tenant storage on uninstall (the execution side owns the store). */
export interface PluginStorageCleaner {
  deleteAll(tenantId: string, pluginId: string): Promise<void>;
}
