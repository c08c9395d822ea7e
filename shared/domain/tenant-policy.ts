import { z } from 'zod';
// The default limits and their schema are the sandbox library's own: one definition for both.
import { DEFAULT_LIMITS, type Limits, LimitsSchema } from '../sandbox/limits.ts';
import {
  AccessMonitoringPolicySchema,
  DEFAULT_ACCESS_MONITORING,
} from './access-monitoring/access-monitoring-policy.ts';
import { SeveritySchema } from './dependency-scan.ts';
import { DATA_PERMISSIONS, NetworkHostSchema, PermissionSchema } from './permissions.ts';

export const SIGNATURE_LEVELS = ['publisher', 'platform'] as const;
export const INSTALL_SOURCES = ['any', 'verified-publishers-only'] as const;
export const ADVISORY_ACTIONS = ['notify', 'disable-on-critical'] as const;

/**
 * What a new advisory against an installed release does in this tenant: always a `security:advisory`
 * event; `disable-on-critical` also disables the installation when a finding is critical. Installs
 * (and updates) of a release with a finding at or above `blockInstallsAtOrAbove` are refused.
 */
export const AdvisoryPolicySchema = z
  .object({
    action: z.enum(ADVISORY_ACTIONS).default('notify'),
    blockInstallsAtOrAbove: SeveritySchema.optional(),
  })
  .strict();
export type AdvisoryPolicy = z.infer<typeof AdvisoryPolicySchema>;

/**
 * Plugin runs one tenant may have in flight at once, across every execution instance. The default
 * keeps one tenant's flood (hanging or spinning runs) from taking the execution function's reserved
 * concurrency from the others; the maximum is what infra/settings.ts sizes that concurrency for.
 */
export const DEFAULT_MAX_CONCURRENT_RUNS = 4;
export const MAX_CONCURRENT_RUNS_LIMIT = 20;

/**
 * A tenant's rules for plugins. `minimumSignatureLevel: 'platform'` admits marketplace releases
 * only; `'publisher'` also admits direct installs signed by a trusted publisher key.
 */
export const TenantPolicySchema = z
  .object({
    allowedPermissions: z.array(PermissionSchema).max(200),
    /** Hosts any network permission may name; `*.example.com` admits subdomains. */
    allowedNetworkHosts: z
      .array(z.union([NetworkHostSchema, z.string().regex(/^\*\.[a-z0-9.-]+$/, 'must be host or *.domain')]))
      .max(200),
    maximumLimits: LimitsSchema,
    minimumSignatureLevel: z.enum(SIGNATURE_LEVELS),
    trustedPublisherKeyIds: z.array(z.string().min(1).max(256)).max(100),
    circuitBreaker: z.object({
      maxErrors: z.number().int().min(1).max(100_000),
      maxResourceBreaches: z.number().int().min(1).max(100_000),
      windowSeconds: z.number().int().min(10).max(86_400),
    }),
    uninstallStorage: z.enum(['delete', 'keep']),
    /** Policies stored before this field existed read as the default. */
    maxConcurrentRuns: z
      .number()
      .int()
      .min(1)
      .max(MAX_CONCURRENT_RUNS_LIMIT)
      .default(DEFAULT_MAX_CONCURRENT_RUNS),
    /** Thresholds of the access-pattern rules; policies stored before it existed read as the defaults. */
    accessMonitoring: AccessMonitoringPolicySchema.default(() => structuredClone(DEFAULT_ACCESS_MONITORING)),
    /** `verified-publishers-only` refuses marketplace installs from publishers not verified. */
    installFrom: z.enum(INSTALL_SOURCES).default('any'),
    advisories: AdvisoryPolicySchema.default({ action: 'notify' }),
  })
  .strict();
export type TenantPolicy = z.infer<typeof TenantPolicySchema>;

/**
 * An RFC 7396 merge patch of a policy: any JSON object. What it may say is judged after merging,
 * against the whole TenantPolicySchema, so a patch can never produce a policy a PUT could not.
 */
// A custom check rather than z.record: record parsing copies members by assignment, which would turn a
// `__proto__` member into the copy's prototype instead of a key the merged policy is refused for.
export const TenantPolicyMergePatchSchema = z
  .custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be a JSON object (RFC 7396 merge patch)',
  )
  .meta({ type: 'object', description: 'RFC 7396 JSON merge patch of the tenant policy' });
export type TenantPolicyMergePatch = z.infer<typeof TenantPolicyMergePatchSchema>;

/**
 * New tenants start closed to the network and to other publishers' direct installs: marketplace
 * releases and artifacts signed with a key the tenant registered itself are admitted, any other
 * publisher key must be listed explicitly.
 */
export const DEFAULT_TENANT_POLICY: TenantPolicy = {
  allowedPermissions: [...DATA_PERMISSIONS],
  allowedNetworkHosts: [],
  maximumLimits: { ...DEFAULT_LIMITS },
  minimumSignatureLevel: 'publisher',
  trustedPublisherKeyIds: [],
  circuitBreaker: { maxErrors: 20, maxResourceBreaches: 10, windowSeconds: 300 },
  uninstallStorage: 'delete',
  maxConcurrentRuns: DEFAULT_MAX_CONCURRENT_RUNS,
  accessMonitoring: structuredClone(DEFAULT_ACCESS_MONITORING),
  installFrom: 'any',
  advisories: { action: 'notify' },
};

export const StoredTenantPolicySchema = z.object({
  policy: TenantPolicySchema,
  version: z.number().int().nonnegative(),
  updatedAt: z.iso.datetime().optional(),
  updatedBy: z.string().optional(),
});
export type StoredTenantPolicy = z.infer<typeof StoredTenantPolicySchema>;

/** Effective limits for one plugin: what it asks for, defaulted, capped by the tenant's maxima. */
export function effectiveLimits(requested: Partial<Limits>, maximum: Limits): Limits {
  const pick = (key: keyof Limits) => Math.min(requested[key] ?? DEFAULT_LIMITS[key], maximum[key]);
  return {
    timeoutMs: pick('timeoutMs'),
    memoryMb: pick('memoryMb'),
    cpuMsPerMinute: pick('cpuMsPerMinute'),
    networkCallsPerMinute: pick('networkCallsPerMinute'),
    databaseQueriesPerMinute: pick('databaseQueriesPerMinute'),
    storageBytes: pick('storageBytes'),
  };
}
