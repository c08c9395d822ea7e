import type { TenantId } from '../domain/identifiers.ts';
import type { Installation } from '../domain/installation.ts';
import type { Page, PageRequest } from './page.ts';

export interface InstallationRepository {
  list(tenantId: TenantId, page: PageRequest): Promise<Page<Installation>>;
}
