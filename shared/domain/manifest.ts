import { validRange, valid as validSemver } from 'semver';
import { z } from 'zod';
import { LimitsSchema } from '../sandbox/limits.ts';
import { NewPluginIdSchema } from './identifiers.ts';
import { NetworkHostSchema, PermissionSchema } from './permissions.ts';

export const SemverSchema = z
  .string()
  .max(64)
  .refine((version) => validSemver(version) === version, 'must be a semantic version such as 1.2.3');

/** Platform events a plugin may subscribe to, plus other plugins' events (`plugin-event:<plugin-id>:<name>`). */
export const SUBSCRIBABLE_PLATFORM_EVENTS = [
  'appointment:scheduled',
  'appointment:cancelled',
  'appointment:rescheduled',
  'patient:updated',
] as const;

export const SubscribedEventSchema = z.union([
  z.enum(SUBSCRIBABLE_PLATFORM_EVENTS),
  z
    .string()
    .max(256)
    .regex(
      /^plugin-event:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?:[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/,
      'must be a platform event or plugin-event:<plugin-id>:<event>',
    ),
]);

export const DependencySchema = z.object({
  name: z
    .string()
    .min(1)
    .max(214)
    .regex(/^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, 'must be an npm package name'),
  version: SemverSchema,
});

/** What a plugin asks for: any of the sandbox limits; the tenant policy caps them. */
export const RequestedLimitsSchema = LimitsSchema.partial().strict();
export type RequestedLimits = z.infer<typeof RequestedLimitsSchema>;

/**
 * What a plugin declares about itself (its `metadata`). The id and version travel beside it
 * in install and publish requests and must agree with it when given.
 */
export const PluginMetadataSchema = z
  .object({
    name: z.string().trim().min(1).max(100).meta({ description: 'Display name in the marketplace.' }),
    description: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .meta({ description: 'What the plugin does, for tenants deciding to install it.' }),
    author: z.string().trim().min(1).max(200).meta({ description: 'Who wrote it.' }),
    homepage: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional()
      .meta({ description: 'An http(s) page about the plugin.' }),
    permissions: z.array(PermissionSchema).max(64).default([]).meta({
      description:
        'The grants the plugin asks for: read:patients, write:patients, read:appointments, write:appointments, network:<host>. An api call without its grant fails with PermissionDenied.',
    }),
    events: z.array(SubscribedEventSchema).max(64).default([]).meta({
      description:
        "Events delivered to onEvent: appointment:scheduled, appointment:cancelled, appointment:rescheduled, patient:updated, or another plugin's plugin-event:<plugin-id>:<name>.",
    }),
    networkHosts: z.array(NetworkHostSchema).max(64).default([]).meta({
      description:
        'Hosts api.http.fetch may reach (lower-case DNS names, no IPs); each network:<host> permission needs its host here.',
    }),
    dependencies: z.array(DependencySchema).max(500).default([]).meta({
      description:
        'npm packages bundled into the artifact ({ name, version }); the dependency scan checks them with the SBOM build writes.',
    }),
    limits: RequestedLimitsSchema.default({}).meta({
      description:
        "Sandbox limits the plugin asks for (timeoutMs, memoryMb, cpuMsPerMinute, networkCallsPerMinute, databaseQueriesPerMinute, storageBytes); the tenant's policy caps them.",
    }),
    tags: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9][a-z0-9-]{0,31}$/),
      )
      .max(20)
      .default([])
      .meta({ description: 'Up to 20 marketplace search tags (lower-case letters, digits, dashes).' }),
  })
  .strict()
  .superRefine((metadata, context) => {
    const hosts = new Set(metadata.networkHosts);
    metadata.permissions.forEach((permission, index) => {
      if (permission.startsWith('network:') && !hosts.has(permission.slice('network:'.length))) {
        context.addIssue({
          code: 'custom',
          path: ['permissions', index],
          message: 'a network permission needs its host in networkHosts',
        });
      }
    });
  });
export type PluginMetadata = z.infer<typeof PluginMetadataSchema>;

export const PluginManifestSchema = z.object({
  id: NewPluginIdSchema,
  version: SemverSchema,
  metadata: PluginMetadataSchema,
});
export type PluginManifest = z.infer<typeof PluginManifestSchema>;

export const SemverRangeSchema = z
  .string()
  .refine((range) => validRange(range) !== null, 'must be a semver range');
