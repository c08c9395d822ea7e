import { readFileSync } from 'node:fs';
import type { Construct } from 'constructs';
import { MAX_CONCURRENT_RUNS_LIMIT } from '../shared/domain/tenant-policy.ts';

/**
 * Everything a deployment varies by, read once from CDK context (`cdk.json` or `-c key=value`).
 * Stacks take these as props and never read context themselves, so tests can build any variant.
 */
export interface PlatformSettings {
  readonly stage: string;
  /**
   * The one region the platform (and its PHI) lives in. Stacks are region-specific because a
   * TableV2 with a customer-managed key renders per-region key settings; the account stays generic.
   */
  readonly region: string;
  readonly isProduction: boolean;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  /** Where the handlers fetch the issuer's signing keys (they verify every token again). */
  readonly jwksUrl: string;
  readonly platformVersion: string;
  /**
   * COMPLIANCE everywhere by default. GOVERNANCE is accepted only outside production, for throwaway
   * accounts: a COMPLIANCE lock cannot be lifted by anyone, root included, for the whole retention.
   */
  readonly complianceLockMode: 'COMPLIANCE' | 'GOVERNANCE';
  /**
   * Reserved concurrency R of the execution function, shared by every tenant's plugin runs. Each
   * tenant may hold at most its policy's `maxConcurrentRuns` C of them (run leases in DynamoDB), so
   * R must leave room for others even next to a tenant at the highest cap a policy admits.
   */
  readonly executionReservedConcurrency: number;
}

/** Default R: with the default cap of 4, a dozen tenants can run at their cap at once. */
export const DEFAULT_EXECUTION_RESERVED_CONCURRENCY = 50;
/** R ≥ 2 × the highest per-tenant cap: a tenant at that cap still leaves half of R to the others. */
export const MIN_EXECUTION_RESERVED_CONCURRENCY = 2 * MAX_CONCURRENT_RUNS_LIMIT;
/** Lambda keeps 100 of an account's default 1,000 concurrent executions unreserved. */
export const MAX_EXECUTION_RESERVED_CONCURRENCY = 900;

/** HIPAA keeps required documentation for six years (45 CFR 164.316(b)(2)); 2,192 days covers leap days. */
export const COMPLIANCE_RETENTION_DAYS = 2192;

const STAGE_PATTERN = /^[a-z][a-z0-9-]{1,15}$/;

export function readPlatformSettings(scope: Construct): PlatformSettings {
  const read = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(`gradiant:${key}`);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const required = (key: string): string => {
    const value = read(key);
    if (value === undefined)
      throw new Error(`Missing CDK context gradiant:${key} (pass -c gradiant:${key}=...)`);
    return value;
  };

  const stage = required('stage');
  if (!STAGE_PATTERN.test(stage))
    throw new Error(`gradiant:stage must match ${STAGE_PATTERN}, got "${stage}"`);
  const isProduction = stage === 'prod';
  const region = required('region');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new Error(`gradiant:region must be an AWS region, got "${region}"`);
  const jwtIssuer = httpsUrl('jwtIssuer', required('jwtIssuer'));
  const jwksUrl = httpsUrl('jwksUrl', read('jwksUrl') ?? defaultJwksUrl(jwtIssuer));
  const complianceLockMode = read('complianceLockMode') ?? 'COMPLIANCE';
  if (complianceLockMode !== 'COMPLIANCE' && complianceLockMode !== 'GOVERNANCE')
    throw new Error(
      `gradiant:complianceLockMode must be COMPLIANCE or GOVERNANCE, got "${complianceLockMode}"`,
    );
  if (isProduction && complianceLockMode !== 'COMPLIANCE')
    throw new Error('The prod stage keeps its compliance log in COMPLIANCE mode');

  const executionReservedConcurrency = Number(
    read('executionReservedConcurrency') ?? DEFAULT_EXECUTION_RESERVED_CONCURRENCY,
  );
  if (
    !Number.isInteger(executionReservedConcurrency) ||
    executionReservedConcurrency < MIN_EXECUTION_RESERVED_CONCURRENCY ||
    executionReservedConcurrency > MAX_EXECUTION_RESERVED_CONCURRENCY
  )
    throw new Error(
      `gradiant:executionReservedConcurrency must be an integer from ${MIN_EXECUTION_RESERVED_CONCURRENCY} (twice the highest per-tenant cap, ${MAX_CONCURRENT_RUNS_LIMIT}) to ${MAX_EXECUTION_RESERVED_CONCURRENCY}, got "${read('executionReservedConcurrency')}"`,
    );

  return {
    stage,
    region,
    isProduction,
    jwtIssuer,
    jwtAudience: required('jwtAudience'),
    jwksUrl,
    platformVersion: read('platformVersion') ?? packageVersion(),
    complianceLockMode,
    executionReservedConcurrency,
  };
}

/** The OIDC discovery convention most issuers follow (Cognito, Auth0, Okta custom servers). */
function defaultJwksUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
}

function httpsUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new Error(`gradiant:${key} must be a URL, got "${value}"`, { cause: error });
  }
  if (url.protocol !== 'https:') throw new Error(`gradiant:${key} must be an https URL, got "${value}"`);
  return value;
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}
