import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalWebhookSecretSealer } from '../../../../../shared/adapters/local/local-webhook-secret-sealer.ts';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const context = { tenantId: 't-one', webhookId: 'wh_01HZZZZZZZZZZZZZZZZZZZZZZZ' };

describe('LocalWebhookSecretSealer', () => {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'webhook-sealer-')), 'keys', 'webhook-secret-key.bin');

  it('seals a secret so that it opens for its own webhook, and the sealed text does not hold it', async () => {
    const sealer = LocalWebhookSecretSealer.fromFile(keyFile);

    const sealed = await sealer.seal(SECRET, context);

    expect(sealed).not.toContain(SECRET.slice('whsec_'.length, 20));
    expect(await sealer.open(sealed, context)).toBe(SECRET);
    expect(await LocalWebhookSecretSealer.fromFile(keyFile).open(sealed, context)).toBe(SECRET);
    expect(readFileSync(keyFile).byteLength).toBe(32);
  });

  it('refuses to open a sealed secret for another webhook or another tenant, or an edited one', async () => {
    const sealer = LocalWebhookSecretSealer.fromFile(keyFile);
    const sealed = await sealer.seal(SECRET, context);
    const [version, iv, , tag] = sealed.split('.');
    const edited = [version, iv, Buffer.from('x'.repeat(50)).toString('base64'), tag].join('.');

    await expect(
      sealer.open(sealed, { ...context, webhookId: 'wh_01HYYYYYYYYYYYYYYYYYYYYYYY' }),
    ).rejects.toThrow();
    await expect(sealer.open(sealed, { ...context, tenantId: 't-two' })).rejects.toThrow();
    await expect(sealer.open(edited, context)).rejects.toThrow();
  });
});
