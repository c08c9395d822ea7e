import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TenantId } from '../../domain/identifiers.ts';
import { type EhrKeySetStore, JoseEhrSigningKeys } from '../jose-ehr-signing-keys.ts';

/**
 * The local stand-in for the Secrets Manager secrets: `<directory>/<tenantId>.json`, owner-only.
 * A tenant id is a lowercase slug (TenantIdSchema), so it is a safe file name. Each write goes to
 * a temporary file first; `link` then publishes it only if no file exists (the create-once of
 * `CreateSecret`), `rename` replaces atomically.
 */
export class FileEhrKeySetStore implements EhrKeySetStore {
  private readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  async read(tenantId: TenantId): Promise<string | undefined> {
    try {
      return await readFile(this.pathOf(tenantId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async create(tenantId: TenantId, value: string): Promise<boolean> {
    const temporary = await this.writeTemporary(value);
    try {
      await link(temporary, this.pathOf(tenantId));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temporary);
    }
  }

  async replace(tenantId: TenantId, value: string): Promise<void> {
    await rename(await this.writeTemporary(value), this.pathOf(tenantId));
  }

  private async writeTemporary(value: string): Promise<string> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const path = join(this.directory, `.${randomUUID()}.tmp`);
    await writeFile(path, value, { mode: 0o600, flag: 'wx' });
    return path;
  }

  private pathOf(tenantId: TenantId): string {
    return join(this.directory, `${tenantId}.json`);
  }
}

export const createFileEhrSigningKeys = (directory: string) =>
  new JoseEhrSigningKeys(new FileEhrKeySetStore(directory));
