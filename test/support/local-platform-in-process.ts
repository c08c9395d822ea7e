import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPlatform } from '../../apps/local-platform/server.ts';
import type { LocalFhirServer } from '../../apps/local-platform/stand-ins/fhir/local-fhir-server.ts';
import type { PublisherProofServer } from '../../apps/local-platform/stand-ins/publisher-proof-server.ts';
import type { RunningPlatform } from './local-platform-process.ts';
import { watchResponses } from './response-contract.ts';

/**
 * Starts a local platform inside the test's own process (its own DynamoDB Local, s3rver, data
 * directory, execution workers and bus), behind the same interface as a platform process, so the
 * HTTP-only helpers (`connectTenant`, `complianceLogObjects`) drive either.
 */
export interface InProcessPlatform extends RunningPlatform {
  /** Delivers the audit table's stream and signs the digests now, instead of waiting for the timer. */
  settleAudit(): Promise<void>;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly fhir: string };
  /** The FHIR stand-in: the demo tenants' EHRs, to change records in as an EHR user would. */
  readonly fhir: LocalFhirServer;
  /** Publishers' web servers for `.localhost` domains, to put a well-known proof on as a publisher would. */
  readonly publisherProofs: PublisherProofServer;
}

export async function startLocalPlatformInProcess(
  options: {
    executionWorkers?: number;
    seed?: boolean;
    ehrLoopbackOrigins?: readonly string[];
    webhookLoopbackOrigins?: readonly string[];
  } = {},
): Promise<InProcessPlatform> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'gradiant-in-process-'));
  const platform = await startLocalPlatform({
    port: 0,
    dataDirectory,
    seed: options.seed ?? false,
    logLevel: 'SILENT',
    executionWorkers: String(options.executionWorkers ?? 2),
    ...(options.ehrLoopbackOrigins ? { ehrLoopbackOrigins: options.ehrLoopbackOrigins } : {}),
    ...(options.webhookLoopbackOrigins ? { webhookLoopbackOrigins: options.webhookLoopbackOrigins } : {}),
  });
  watchResponses(platform.url);
  let isStopped = false;
  return {
    url: platform.url,
    dataDirectory,
    endpoints: platform.endpoints,
    fhir: platform.fhir,
    publisherProofs: platform.publisherProofs,
    settleAudit: () => platform.settleAudit(),
    token: (tenantId, scopes, subject = 'e2e-user') => platform.issueToken(tenantId, subject, scopes),
    async stop({ keepData = false } = {}) {
      if (!isStopped) await platform.stop();
      isStopped = true;
      if (!keepData) rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}
