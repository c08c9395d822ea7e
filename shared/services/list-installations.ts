import type { TenantId } from '../domain/identifiers.ts';
import type { Installation } from '../domain/installation.ts';
import type { InstallationRepository } from '../ports/installation-repository.ts';
import type { Page, PageRequest } from '../ports/page.ts';

export function listInstallations(
  command: { tenantId: TenantId; page: PageRequest },
  deps: { installations: InstallationRepository },
): Promise<Page<Installation>> {
  return deps.installations.list(command.tenantId, command.page);
}
