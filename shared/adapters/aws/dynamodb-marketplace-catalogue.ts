import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { RELEASE_SECURITY_STATUSES } from '../../domain/dependency-scan.ts';
import {
  illegalReleaseTransition,
  notPluginOwner,
  pluginNotFound,
  versionExists,
  versionNotFound,
} from '../../domain/errors/marketplace-errors.ts';
import type { CatalogueListing } from '../../domain/marketplace.ts';
import {
  type CatalogueEntry,
  CatalogueEntrySchema,
  type PublisherProfile,
  PublisherProfileSchema,
  type ReleaseRecord,
  ReleaseRecordSchema,
} from '../../domain/marketplace.ts';
import {
  type MarketplaceInstall,
  type MarketplaceInstaller,
  MarketplaceInstallerSchema,
} from '../../domain/marketplace-installer.ts';
import { newestFirst, ratingFrom } from '../../domain/release-listing.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type {
  MarketplaceCatalogue,
  ReleaseSecurityChange,
  ReleaseStatusChange,
} from '../../ports/marketplace-catalogue.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import { MAX_TRANSACT_ITEMS } from './audit-table-items.ts';
import { CATALOGUE_CHANGES_PARTITION, changeSortKey, entryChangeStamp } from './catalogue-change-stamp.ts';
import {
  CATALOGUE_INDEX_PARTITION,
  ENTRY_SORT_KEY,
  failedConditions,
  installerSortKey,
  PROFILE_SORT_KEY,
  pluginPartition,
  publisherPartition,
  STAR_ATTRIBUTES,
  VERSION_PREFIX,
  versionSortKey,
} from './dynamodb-marketplace-keys.ts';
import { changeFailed, type TransactItem, writeWithOutbox } from './dynamodb-outbox-write.ts';
import { GSI1, GSI2 } from './table-definitions.ts';

const count = z.number().int().default(0);
const StoredEntrySchema = z.object({
  pluginId: z.string(),
  publisherId: z.string(),
  name: z.string(),
  description: z.string(),
  author: z.string(),
  tags: z.array(z.string()),
  latestVersion: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deprecated: z.object({ message: z.string(), at: z.string() }).optional(),
  downloads: count,
  securityStatus: z.enum(RELEASE_SECURITY_STATUSES).optional(),
  ratingCount: count,
  ratingSum: count,
  star1: count,
  star2: count,
  star3: count,
  star4: count,
  star5: count,
  publisherVerified: z.boolean().default(false),
});

function toEntry(item: Record<string, unknown>): CatalogueEntry {
  const stored = StoredEntrySchema.parse(item);
  const histogram = { 1: stored.star1, 2: stored.star2, 3: stored.star3, 4: stored.star4, 5: stored.star5 };
  return CatalogueEntrySchema.parse({
    ...stored,
    rating: ratingFrom(stored.ratingCount, stored.ratingSum, histogram),
  });
}

/**
 * Status fields sit beside the immutable release map so that a status change never rewrites it;
 * so does `security`, the latest dependency scan, which rescans replace.
 */
function toRelease(item: Record<string, unknown>): ReleaseRecord {
  const { status, yankedAt, revokedAt, revokedReason } = item as Record<string, string | undefined>;
  return ReleaseRecordSchema.parse({
    ...(item.release as object),
    ...(item.security ? { security: item.security } : {}),
    status,
    ...(item.security === undefined ? {} : { security: item.security }),
    ...(yankedAt ? { yankedAt } : {}),
    ...(revokedAt ? { revokedAt } : {}),
    ...(revokedReason ? { revokedReason } : {}),
  });
}

export class DynamoDbMarketplaceCatalogue implements MarketplaceCatalogue {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTableName: string;
  /** Stamps each change to an entry for the change feed (other instances' search indexes). */
  private readonly clock: Clock;

  constructor(
    client: DynamoDBDocumentClient,
    tableName: string,
    auditTableName: string,
    clock: Clock = systemClock,
  ) {
    this.client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
    this.clock = clock;
  }

  async getRelease(pluginId: string, version: string): Promise<ReleaseRecord | undefined> {
    const item = await this.getItem(pluginPartition(pluginId), versionSortKey(version));
    return item ? toRelease(item) : undefined;
  }

  async listReleases(pluginId: string): Promise<ReleaseRecord[]> {
    const releases: ReleaseRecord[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pluginPartition(pluginId), ':prefix': VERSION_PREFIX },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) releases.push(toRelease(item));
    return newestFirst(releases);
  }

  /**
   * One transaction: the entry is created for a first publisher or must already be theirs, and
   * the version must not exist. Counters start at zero only when the entry is new.
   */
  async createRelease(release: ReleaseRecord): Promise<void> {
    const { status, security, ...immutable } = release;
    const counters = ['downloads', 'ratingCount', 'ratingSum', ...STAR_ATTRIBUTES];
    const initial = [
      'publisherId',
      'pluginId',
      'createdAt',
      'updatedAt',
      '#name',
      'description',
      'author',
      'tags',
      ...counters,
    ]
      .map((attribute) => {
        const placeholder = counters.includes(attribute) ? ':zero' : `:${attribute.replace('#', '')}`;
        return `${attribute} = if_not_exists(${attribute}, ${placeholder})`;
      })
      .join(', ');
    const stamp = entryChangeStamp(release.pluginId, this.clock.now());
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { PK: pluginPartition(release.pluginId), SK: ENTRY_SORT_KEY },
                UpdateExpression: `SET ${initial}, ${GSI1.partitionKey} = :gpk, ${GSI1.sortKey} = :gsk, ${stamp.set}`,
                ConditionExpression: 'attribute_not_exists(PK) OR publisherId = :publisherId',
                ExpressionAttributeNames: { '#name': 'name' },
                ExpressionAttributeValues: {
                  ':publisherId': release.publisherId,
                  ':pluginId': release.pluginId,
                  ':createdAt': release.publishedAt,
                  ':updatedAt': release.publishedAt,
                  ':name': release.metadata.name,
                  ':description': release.metadata.description,
                  ':author': release.metadata.author,
                  ':tags': release.metadata.tags,
                  ':zero': 0,
                  ':gpk': CATALOGUE_INDEX_PARTITION,
                  ':gsk': pluginPartition(release.pluginId),
                  ...stamp.values,
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  PK: pluginPartition(release.pluginId),
                  SK: versionSortKey(release.version),
                  release: immutable,
                  status,
                  ...(security === undefined ? {} : { security }),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.[0]) throw notPluginOwner(error);
      if (failed?.[1]) throw versionExists(error);
      throw error;
    }
  }

  async changeReleaseStatus(
    pluginId: string,
    version: string,
    change: ReleaseStatusChange,
    outbox: OutboxEntries,
  ): Promise<ReleaseRecord> {
    const isRevocation = change.status === 'revoked';
    try {
      await this.write(
        {
          Update: {
            TableName: this.tableName,
            Key: { PK: pluginPartition(pluginId), SK: versionSortKey(version) },
            UpdateExpression: isRevocation
              ? 'SET #status = :status, revokedAt = :at, revokedReason = :reason'
              : 'SET #status = :status, yankedAt = :at',
            // Yanking applies to active versions only; revocation also overrides a yank.
            ConditionExpression: isRevocation
              ? 'attribute_exists(PK) AND #status <> :status'
              : 'attribute_exists(PK) AND #status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': change.status,
              ':at': isRevocation ? change.revokedAt : change.yankedAt,
              ...(isRevocation ? { ':reason': change.revokedReason } : { ':active': 'active' }),
            },
          },
        },
        outbox,
      );
    } catch (error) {
      if (!changeFailed(error)) throw error;
      const current = await this.getRelease(pluginId, version);
      if (!current) throw versionNotFound();
      throw illegalReleaseTransition(current.status);
    }
    // A transaction returns no item: the release as stored now (a release is never deleted).
    const changed = await this.getRelease(pluginId, version);
    if (!changed) throw versionNotFound();
    return changed;
  }

  /**
   * `SET security` only, conditioned on the stored scan's database version: a yank or revocation
   * (`SET status`) racing it changes another attribute, so both survive. The entry's status joins
   * the same transaction, with the change-feed stamp other instances' search indexes read.
   */
  async recordReleaseSecurity(
    pluginId: string,
    version: string,
    change: ReleaseSecurityChange,
    outbox: OutboxEntries,
  ): Promise<boolean> {
    const release: TransactItem = {
      Update: {
        TableName: this.tableName,
        Key: { PK: pluginPartition(pluginId), SK: versionSortKey(version) },
        UpdateExpression: 'SET #security = :security',
        ConditionExpression:
          change.expectedDatabaseVersion === undefined
            ? 'attribute_exists(PK) AND attribute_not_exists(#security)'
            : 'attribute_exists(PK) AND #security.databaseVersion = :expected',
        ExpressionAttributeNames: { '#security': 'security' },
        ExpressionAttributeValues: {
          ':security': change.security,
          ...(change.expectedDatabaseVersion === undefined
            ? {}
            : { ':expected': change.expectedDatabaseVersion }),
        },
      },
    };
    const stamp = entryChangeStamp(pluginId, change.at);
    const entry: TransactItem[] = change.entrySecurityStatus
      ? [
          {
            Update: {
              TableName: this.tableName,
              Key: { PK: pluginPartition(pluginId), SK: ENTRY_SORT_KEY },
              UpdateExpression: `SET securityStatus = :securityStatus, ${stamp.set}`,
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':securityStatus': change.entrySecurityStatus, ...stamp.values },
            },
          },
        ]
      : [];
    try {
      const { client, auditTableName } = this;
      await writeWithOutbox({ client, auditTableName, changes: [release, ...entry], outbox });
      return true;
    } catch (error) {
      if (changeFailed(error, 0)) return false;
      if (changeFailed(error, 1)) throw pluginNotFound();
      throw error;
    }
  }

  async getEntry(pluginId: string): Promise<CatalogueEntry | undefined> {
    const item = await this.getItem(pluginPartition(pluginId), ENTRY_SORT_KEY);
    return item ? toEntry(item) : undefined;
  }

  /** The whole catalogue through the catalogue index, page by page (cold start of the search index). */
  async listEntries(): Promise<CatalogueEntry[]> {
    const entries: CatalogueEntry[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: GSI1.name,
        KeyConditionExpression: `${GSI1.partitionKey} = :gpk`,
        ExpressionAttributeValues: { ':gpk': CATALOGUE_INDEX_PARTITION },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) entries.push(toEntry(item));
    return entries;
  }

  /** The change feed (GSI2): one item per entry, sorted by its last stamped change. */
  async listEntriesChangedSince(since: Date): Promise<CatalogueEntry[]> {
    const entries: CatalogueEntry[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: GSI2.name,
        KeyConditionExpression: `${GSI2.partitionKey} = :feed AND ${GSI2.sortKey} > :since`,
        ExpressionAttributeValues: {
          ':feed': CATALOGUE_CHANGES_PARTITION,
          ':since': changeSortKey(since, ''),
        },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) entries.push(toEntry(item));
    return entries;
  }

  async saveListing(pluginId: string, listing: CatalogueListing, outbox: OutboxEntries): Promise<void> {
    const base =
      '#name = :name, description = :description, author = :author, tags = :tags, updatedAt = :updatedAt';
    const hasVerified = listing.publisherVerified !== undefined;
    const set = hasVerified ? `${base}, publisherVerified = :verified` : base;
    await this.updateEntry(
      pluginId,
      {
        set: listing.latestVersion ? `${set}, latestVersion = :latest` : set,
        ...(listing.latestVersion ? {} : { rest: 'REMOVE latestVersion' }),
        names: { '#name': 'name' },
        values: {
          ':name': listing.name,
          ':description': listing.description,
          ':author': listing.author,
          ':tags': listing.tags,
          ':updatedAt': listing.updatedAt,
          ...(listing.latestVersion ? { ':latest': listing.latestVersion } : {}),
          ...(hasVerified ? { ':verified': listing.publisherVerified } : {}),
        },
      },
      outbox,
    );
  }

  async deprecate(
    pluginId: string,
    deprecation: { message: string; at: string },
    outbox: OutboxEntries,
  ): Promise<void> {
    await this.updateEntry(
      pluginId,
      { set: 'deprecated = :deprecated', values: { ':deprecated': deprecation } },
      outbox,
    );
  }

  /**
   * An atomic ADD: concurrent installs never lose a count. The tenant's installer record commits
   * with it (its first version and time kept, its last one replaced), and outlives an uninstall.
   */
  async incrementDownloads(
    pluginId: string,
    install: MarketplaceInstall,
    outbox: OutboxEntries,
  ): Promise<void> {
    await this.updateEntry(pluginId, { rest: 'ADD downloads :one', values: { ':one': 1 } }, outbox, [
      this.installerUpdate(pluginId, install),
    ]);
  }

  async getInstaller(pluginId: string, tenantId: string): Promise<MarketplaceInstaller | undefined> {
    const item = await this.getItem(pluginPartition(pluginId), installerSortKey(tenantId));
    return item ? MarketplaceInstallerSchema.parse(item) : undefined;
  }

  private installerUpdate(pluginId: string, install: MarketplaceInstall): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: { PK: pluginPartition(pluginId), SK: installerSortKey(install.tenantId) },
        UpdateExpression:
          'SET pluginId = :pluginId, tenantId = :tenantId, firstVersion = if_not_exists(firstVersion, :version), ' +
          'firstInstalledAt = if_not_exists(firstInstalledAt, :at), lastVersion = :version, lastInstalledAt = :at',
        ExpressionAttributeValues: {
          ':pluginId': pluginId,
          ':tenantId': install.tenantId,
          ':version': install.version,
          ':at': install.at,
        },
      },
    };
  }

  async getPublisher(publisherId: string): Promise<PublisherProfile | undefined> {
    const item = await this.getItem(publisherPartition(publisherId), PROFILE_SORT_KEY);
    return item ? PublisherProfileSchema.parse(item) : undefined;
  }

  async putPublisher(profile: PublisherProfile): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: publisherPartition(profile.publisherId), SK: PROFILE_SORT_KEY, ...profile },
      }),
    );
  }

  async savePublisher(profile: PublisherProfile, outbox: OutboxEntries): Promise<void> {
    await this.write(
      {
        Put: {
          TableName: this.tableName,
          Item: { PK: publisherPartition(profile.publisherId), SK: PROFILE_SORT_KEY, ...profile },
        },
      },
      outbox,
    );
  }

  /**
   * The publisher's entries come from the catalogue index (GSI1 `CATALOGUE`, projecting all)
   * filtered on `publisherId`: a verification is a rare admin action, so reading the index once
   * costs less than keeping a publisher→plugin item beside every first publish. The index is
   * eventually consistent, so an entry created a moment ago may be missed here; every listing
   * refresh (publish, yank, revoke) copies the profile's state again, which closes that gap.
   */
  async setPublisherVerified(publisherId: string, isVerified: boolean, at: Date): Promise<readonly string[]> {
    const pluginIds: string[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: GSI1.name,
        KeyConditionExpression: `${GSI1.partitionKey} = :gpk`,
        FilterExpression: 'publisherId = :publisherId',
        ProjectionExpression: 'pluginId',
        ExpressionAttributeValues: { ':gpk': CATALOGUE_INDEX_PARTITION, ':publisherId': publisherId },
      },
    );
    for await (const page of pages)
      for (const item of page.Items ?? []) pluginIds.push(String((item as { pluginId: string }).pluginId));
    for (let start = 0; start < pluginIds.length; start += MAX_TRANSACT_ITEMS) {
      const batch = pluginIds.slice(start, start + MAX_TRANSACT_ITEMS);
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: batch.map((pluginId) => this.verifiedUpdate(pluginId, publisherId, isVerified, at)),
        }),
      );
    }
    return pluginIds;
  }

  private verifiedUpdate(pluginId: string, publisherId: string, isVerified: boolean, at: Date): TransactItem {
    const stamp = entryChangeStamp(pluginId, at);
    return {
      Update: {
        TableName: this.tableName,
        Key: { PK: pluginPartition(pluginId), SK: ENTRY_SORT_KEY },
        UpdateExpression: `SET publisherVerified = :verified, ${stamp.set}`,
        // An entry keeps its first publisher for good; the condition only guards a stale index read.
        ConditionExpression: 'attribute_exists(PK) AND publisherId = :publisherId',
        ExpressionAttributeValues: { ':verified': isVerified, ':publisherId': publisherId, ...stamp.values },
      },
    };
  }

  private async updateEntry(
    pluginId: string,
    expression: {
      /** SET assignments besides the change stamp, which every entry update carries. */
      set?: string;
      /** Clauses after the SET (REMOVE, ADD). */
      rest?: string;
      names?: Record<string, string>;
      values: Record<string, unknown>;
    },
    outbox: OutboxEntries,
    alongside: readonly TransactItem[] = [],
  ): Promise<void> {
    const stamp = entryChangeStamp(pluginId, this.clock.now());
    const set = expression.set ? `${expression.set}, ${stamp.set}` : stamp.set;
    try {
      await this.write(
        {
          Update: {
            TableName: this.tableName,
            Key: { PK: pluginPartition(pluginId), SK: ENTRY_SORT_KEY },
            ConditionExpression: 'attribute_exists(PK)',
            UpdateExpression: `SET ${set}${expression.rest ? ` ${expression.rest}` : ''}`,
            ...(expression.names ? { ExpressionAttributeNames: expression.names } : {}),
            ExpressionAttributeValues: { ...expression.values, ...stamp.values },
          },
        },
        outbox,
        alongside,
      );
    } catch (error) {
      if (changeFailed(error)) throw pluginNotFound();
      throw error;
    }
  }

  private write(
    change: TransactItem,
    outbox: OutboxEntries,
    alongside: readonly TransactItem[] = [],
  ): Promise<void> {
    const { client, auditTableName } = this;
    return writeWithOutbox({ client, auditTableName, changes: [change, ...alongside], outbox });
  }

  private async getItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: pk, SK: sk }, ConsistentRead: true }),
    );
    return result.Item;
  }
}
