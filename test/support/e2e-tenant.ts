import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { jsonOf, type RunningPlatform } from './local-platform-process.ts';
import { createPublisherKeyPair } from './signing.ts';

const ADMIN_SCOPES = ['plugins:read', 'plugins:admin', 'plugins:invoke', 'marketplace:publish'];

/**
 * One tenant of a running local platform, over HTTP only: it registers its own publisher key (which
 * the tenant trusts without a policy change) and installs and enables plugins signed with it.
 */
export async function connectTenant(platform: RunningPlatform, tenantId: string) {
  const authorization = `Bearer ${await platform.token(tenantId, ADMIN_SCOPES, `admin-${tenantId}`)}`;
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const publisher = createPublisherKeyPair();
  const registered = await send('POST', '/v1/publishers/keys', publisher.registration(tenantId));
  if (registered.status >= 300) throw new Error(`key registration failed: ${registered.status}`);
  const { keyId } = (await jsonOf(registered)) as { keyId: string };

  return {
    send,
    /** The tenant admin's `Authorization` header value, for requests `send` does not shape. */
    authorization,
    async installEnabled(pluginId: string, code: string, metadata: Record<string, unknown> = {}) {
      const installed = await send('POST', '/v1/plugins', {
        id: pluginId,
        version: '1.0.0',
        code,
        metadata: {
          name: pluginId,
          description: 'A test plugin',
          author: 'Tests',
          permissions: [],
          ...metadata,
        },
        signature: { keyId, signature: publisher.sign(code) },
      });
      if (installed.status !== 201)
        throw new Error(`install failed: ${JSON.stringify(await jsonOf(installed))}`);
      const enabled = await send('POST', `/v1/plugins/${pluginId}/enable`);
      if (enabled.status !== 200) throw new Error(`enable failed: ${enabled.status}`);
    },
    invoke: (pluginId: string, input: unknown = null) =>
      send('POST', `/v1/plugins/${pluginId}/invoke`, { input }),
  };
}

export type E2eTenant = Awaited<ReturnType<typeof connectTenant>>;

/** Every object the local platform wrote to its compliance-log bucket (s3rver keeps them as files). */
export function complianceLogObjects(platform: RunningPlatform): string[] {
  const root = join(platform.dataDirectory, 's3', 'gradiant-compliance-log');
  const found: string[] = [];
  const walk = (directory: string) => {
    let entries: string[];
    try {
      entries = readdirSync(directory);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('._S3rver_object')) found.push(path);
    }
  };
  walk(root);
  return found;
}
