import { z } from 'zod';

/**
 * That a tenant installed a plugin from the marketplace: written with the download it counts and
 * kept after an uninstall, so a tenant that once ran the plugin may still review it.
 */
export const MarketplaceInstallerSchema = z.object({
  pluginId: z.string(),
  tenantId: z.string(),
  firstVersion: z.string(),
  firstInstalledAt: z.iso.datetime(),
  lastVersion: z.string(),
  lastInstalledAt: z.iso.datetime(),
});
export type MarketplaceInstaller = z.infer<typeof MarketplaceInstallerSchema>;

/** One marketplace install, as the download count and the installer record take it. */
export interface MarketplaceInstall {
  readonly tenantId: string;
  readonly version: string;
  readonly at: string;
}
