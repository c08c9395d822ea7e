import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PluginManifestSchema } from '../../../../shared/domain/manifest.ts';
import { manifestJsonSchema } from '../../../../shared/domain/manifest-json-schema.ts';

const metadata = { name: 'Reminder', description: 'Sends reminders.', author: 'Acme Labs' };

const ACCEPTED: Record<string, unknown> = {
  'the minimum': { id: 'reminder', version: '1.0.0', metadata },
  'every field': {
    $schema: './node_modules/gradiant-plugins/dist/plugin/manifest.schema.json',
    id: 'reminder-pro',
    version: '2.1.0-beta.1',
    metadata: {
      ...metadata,
      homepage: 'https://acme.example/reminder',
      permissions: ['read:patients', 'write:appointments', 'network:sms.acme.example'],
      events: ['appointment:scheduled', 'plugin-event:no-show-tracker:flagged'],
      networkHosts: ['sms.acme.example'],
      dependencies: [{ name: '@acme/format', version: '1.2.3' }],
      limits: { timeoutMs: 2000, memoryMb: 32, storageBytes: 1024 },
      tags: ['reminders', 'sms'],
    },
  },
};

const REJECTED: Record<string, unknown> = {
  'no metadata': { id: 'reminder', version: '1.0.0' },
  'an upper-case id': { id: 'Reminder', version: '1.0.0', metadata },
  'an unknown metadata field': { id: 'reminder', version: '1.0.0', metadata: { ...metadata, color: 'red' } },
  'an unknown permission': {
    id: 'reminder',
    version: '1.0.0',
    metadata: { ...metadata, permissions: ['root'] },
  },
  'an unknown event': {
    id: 'reminder',
    version: '1.0.0',
    metadata: { ...metadata, events: ['patient:deleted'] },
  },
  'an IP address as network host': {
    id: 'reminder',
    version: '1.0.0',
    metadata: { ...metadata, networkHosts: ['10.0.0.1'] },
  },
  'a limit below the floor': {
    id: 'reminder',
    version: '1.0.0',
    metadata: { ...metadata, limits: { memoryMb: 1 } },
  },
  'an unknown limit': { id: 'reminder', version: '1.0.0', metadata: { ...metadata, limits: { gpus: 1 } } },
  'a dependency without a version': {
    id: 'reminder',
    version: '1.0.0',
    metadata: { ...metadata, dependencies: [{ name: 'left-pad' }] },
  },
};

const validate = new Ajv2020({ strict: false, allErrors: true }).compile(manifestJsonSchema());

describe('the manifest JSON Schema generated from the zod schema', () => {
  for (const [name, manifest] of Object.entries(ACCEPTED)) {
    it(`accepts ${name}, as the platform does`, () => {
      expect(PluginManifestSchema.safeParse(manifest).success).toBe(true);
      expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  for (const [name, manifest] of Object.entries(REJECTED)) {
    it(`rejects ${name}, as the platform does`, () => {
      expect(PluginManifestSchema.safeParse(manifest).success).toBe(false);
      expect(validate(manifest)).toBe(false);
    });
  }

  it('describes every metadata field for editors', () => {
    const schema = manifestJsonSchema() as {
      properties: { metadata: { properties: Record<string, { description?: string }> } };
    };

    const fields = Object.entries(schema.properties.metadata.properties);

    expect(fields.map(([field]) => field)).toEqual(Object.keys(PluginManifestSchema.shape.metadata.shape));
    for (const [field, property] of fields) expect(property.description, field).toMatch(/\w/);
  });
});
