import { readFileSync } from 'node:fs';
import type { AuditChainStore, AuditDigestVerifier } from '../../../shared/ports/audit-chain-store.ts';
import { verifyAuditChain } from '../../../shared/services/audit/verify-audit-chain.ts';
import { defineCommand } from './define-command.ts';
import { type CliCommand, EXIT_FAILED, EXIT_OK, UsageError } from './publish-cli-types.ts';

export interface AuditVerifyOptions {
  readonly bucket: string;
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** Absent: every tenant with a chain in the bucket. */
  readonly tenantId?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly publicKeyFile?: string | undefined;
  readonly kmsKeyId?: string | undefined;
}

export interface AuditVerifyDependencies {
  readonly store: (options: AuditVerifyOptions) => AuditChainStore | Promise<AuditChainStore>;
  readonly verifier: (options: AuditVerifyOptions) => AuditDigestVerifier | Promise<AuditDigestVerifier>;
}

/** s3rver's fixed credentials and the checksum settings it needs, when an endpoint is given. */
function clientSettings(options: AuditVerifyOptions) {
  const region = options.region ?? 'us-east-1';
  if (!options.endpoint) return { region: options.region };
  return {
    region,
    endpoint: options.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
}

/**
 * The AWS SDK is not a dependency of the published package (authors never need it): the adapters
 * load it only when `audit verify` runs, and say how to add it when it is missing.
 */
async function loadAws<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new AwsSdkMissingError();
  }
}

class AwsSdkMissingError extends Error {
  constructor() {
    super('audit verify reads S3 and KMS: run "npm i -D @aws-sdk/client-s3 @aws-sdk/client-kms" first');
  }
}

export const AWS_AUDIT_VERIFY_DEPENDENCIES: AuditVerifyDependencies = {
  store: async (options) => {
    const [{ S3AuditChainStore }, { createS3Client }] = await loadAws(() =>
      Promise.all([
        import('../../../shared/adapters/aws/s3-audit-chain-store.ts'),
        import('../../../shared/adapters/aws/s3-client.ts'),
      ]),
    );
    return new S3AuditChainStore(createS3Client(clientSettings(options)), options.bucket);
  },
  verifier: async (options) => {
    if (!options.kmsKeyId) {
      const { PemAuditDigestVerifier } = await import(
        '../../../shared/adapters/local/pem-audit-digest-verifier.ts'
      );
      return new PemAuditDigestVerifier(readFileSync(options.publicKeyFile as string, 'utf8'));
    }
    const [{ KMSClient }, { KmsAuditDigestVerifier }] = await loadAws(() =>
      Promise.all([
        import('@aws-sdk/client-kms'),
        import('../../../shared/adapters/aws/kms-audit-digest-verifier.ts'),
      ]),
    );
    return new KmsAuditDigestVerifier(new KMSClient({ region: options.region }), options.kmsKeyId);
  },
};

function isoOrUndefined(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`--${name} is not an ISO date-time`);
  return new Date(value).toISOString();
}

function optionsOf(options: Readonly<Record<string, unknown>>): AuditVerifyOptions {
  const text = (name: string) => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
  if (Boolean(text('publicKey')) === Boolean(text('kmsKeyId'))) {
    throw new UsageError('give exactly one of --public-key and --kms-key-id');
  }
  return {
    bucket: text('bucket') as string,
    endpoint: text('endpoint'),
    region: text('region'),
    tenantId: text('tenant'),
    from: isoOrUndefined('from', text('from')),
    to: isoOrUndefined('to', text('to')),
    publicKeyFile: text('publicKey'),
    kmsKeyId: text('kmsKeyId'),
  };
}

/**
 * Walks a tenant's tamper-evident audit chain and its signed digests in the bucket (without
 * `--tenant`, every tenant's in turn) and prints one JSON line per tenant: `{ ok, tenantId,
 * records, digests }`, or `{ ok: false, tenantId, firstBroken }` with positions and object keys
 * only, never record contents. Exits 1 when any chain is broken.
 */
export function createAuditVerifyCommand(
  dependencies: AuditVerifyDependencies = AWS_AUDIT_VERIFY_DEPENDENCIES,
): CliCommand {
  return defineCommand({
    name: 'audit verify',
    summary: 'verify a tenant audit chain and its signed digests (exit 1 on tampering)',
    configure: (command) =>
      command
        .requiredOption('--bucket <name>', 'the audit bucket')
        .option('--endpoint <url>', "an S3-compatible endpoint (the local platform's s3rver)")
        .option('--region <region>', 'the AWS region')
        .option('--tenant <id>', 'one tenant (default: every tenant with a chain in the bucket)')
        .option('--from <iso>', 'verify from this time (with --to)')
        .option('--to <iso>', 'verify up to this time (with --from)')
        .option('--public-key <file>', 'the digest signing public key (PEM)')
        .option('--kms-key-id <id>', 'the KMS key that signed the digests')
        .option('--json', 'print one JSON line per tenant (this command always does)'),
    async action({ options: raw }, io) {
      const options = optionsOf(raw);
      try {
        const store = await dependencies.store(options);
        const verifier = await dependencies.verifier(options);
        const tenants = options.tenantId === undefined ? await store.listTenants() : [options.tenantId];
        let isIntact = true;
        for (const tenantId of tenants) {
          const report = await verifyAuditChain(
            { tenantId, from: options.from, to: options.to },
            store,
            verifier,
          );
          io.stdout(`${JSON.stringify(report)}\n`);
          isIntact &&= report.ok;
        }
        if (tenants.length === 0) io.stdout(`${JSON.stringify({ ok: true, tenants: 0 })}\n`);
        return isIntact ? EXIT_OK : EXIT_FAILED;
      } catch (error) {
        if (error instanceof AwsSdkMissingError) {
          io.stderr(`error: ${error.message}\n`);
          return EXIT_FAILED;
        }
        // The error's name only: a message could quote a key or a record.
        io.stderr(`error: could not read the audit chain (${(error as Error).name})\n`);
        return EXIT_FAILED;
      }
    },
  });
}

export const auditVerifyCommand = createAuditVerifyCommand();
