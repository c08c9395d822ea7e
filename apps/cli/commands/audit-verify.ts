import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsAuditDigestVerifier } from '../../../shared/adapters/aws/kms-audit-digest-verifier.ts';
import { S3AuditChainStore } from '../../../shared/adapters/aws/s3-audit-chain-store.ts';
import { createS3Client } from '../../../shared/adapters/aws/s3-client.ts';
import { PemAuditDigestVerifier } from '../../../shared/adapters/local/pem-audit-digest-verifier.ts';
import type { AuditChainStore, AuditDigestVerifier } from '../../../shared/ports/audit-chain-store.ts';
import { verifyAuditChain } from '../../../shared/services/audit/verify-audit-chain.ts';
import { type CliCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './publish-cli-types.ts';

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
  readonly store: (options: AuditVerifyOptions) => AuditChainStore;
  readonly verifier: (options: AuditVerifyOptions) => AuditDigestVerifier;
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

export const AWS_AUDIT_VERIFY_DEPENDENCIES: AuditVerifyDependencies = {
  store: (options) => new S3AuditChainStore(createS3Client(clientSettings(options)), options.bucket),
  verifier: (options) =>
    options.kmsKeyId
      ? new KmsAuditDigestVerifier(new KMSClient({ region: options.region }), options.kmsKeyId)
      : new PemAuditDigestVerifier(readFileSync(options.publicKeyFile as string, 'utf8')),
};

const USAGE =
  'audit verify --bucket B [--endpoint URL] [--region R] [--tenant T] [--from ISO --to ISO] (--public-key FILE | --kms-key-id ID)';

function isoOrUndefined(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`--${name} is not an ISO date-time`);
  return new Date(value).toISOString();
}

function parseOptions(argv: readonly string[]): AuditVerifyOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      bucket: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      tenant: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'public-key': { type: 'string' },
      'kms-key-id': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1 || positionals[0] !== 'verify')
    throw new UsageError('the audit subcommand is verify');
  if (!values.bucket) throw new UsageError('--bucket is required');
  if (Boolean(values['public-key']) === Boolean(values['kms-key-id'])) {
    throw new UsageError('give exactly one of --public-key and --kms-key-id');
  }
  return {
    bucket: values.bucket,
    endpoint: values.endpoint,
    region: values.region,
    tenantId: values.tenant,
    from: isoOrUndefined('from', values.from),
    to: isoOrUndefined('to', values.to),
    publicKeyFile: values['public-key'],
    kmsKeyId: values['kms-key-id'],
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
  return {
    name: 'audit',
    summary: 'verify a tenant audit chain and its signed digests (exit 1 on tampering)',
    usage: USAGE,
    async run(argv, io) {
      let options: AuditVerifyOptions;
      try {
        options = parseOptions(argv);
      } catch (error) {
        io.stderr(`error: ${(error as Error).message}\nusage: gradiant-plugins ${USAGE}\n`);
        return EXIT_USAGE;
      }
      try {
        const store = dependencies.store(options);
        const verifier = dependencies.verifier(options);
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
        // The error's name only: a message could quote a key or a record.
        io.stderr(`error: could not read the audit chain (${(error as Error).name})\n`);
        return EXIT_FAILED;
      }
    },
  };
}

export const auditVerifyCommand = createAuditVerifyCommand();
