import { MARKETPLACE_ROUTES } from '../http/routes/marketplace-routes.ts';
import { type ClientOptions, HttpTransport } from './http-transport.ts';
import { routeOf } from './route-lookup.ts';
import type { BodyOf, ResultOf } from './route-types.ts';

const ROUTES = {
  registerKey: routeOf(MARKETPLACE_ROUTES, 'POST /v1/publishers/keys'),
  revokeKey: routeOf(MARKETPLACE_ROUTES, 'DELETE /v1/publishers/keys/{keyId}'),
  createUpload: routeOf(MARKETPLACE_ROUTES, 'POST /v1/marketplace/uploads'),
  publish: routeOf(MARKETPLACE_ROUTES, 'POST /v1/marketplace/plugins'),
} as const;

export type PublisherKeyRegistration = BodyOf<typeof ROUTES.registerKey>;
export type PublisherKey = ResultOf<typeof ROUTES.registerKey>;
export type ArtifactUploadRequest = BodyOf<typeof ROUTES.createUpload>;
export type ArtifactUpload = ResultOf<typeof ROUTES.createUpload>;
export type PublishReleaseRequest = BodyOf<typeof ROUTES.publish>;
export type PublishedRelease = ResultOf<typeof ROUTES.publish>;

/**
 * The publisher's side of the marketplace (a token with `marketplace:publish`): signing keys,
 * presigned uploads for large artifacts, and publishing signed releases. The upload itself goes
 * to the presigned URL, not to the API, so it is the caller's PUT.
 */
export class PluginPublisherService {
  private readonly transport: HttpTransport;

  constructor(options: ClientOptions) {
    this.transport = new HttpTransport(options);
  }

  /** Registers a key with its proof of possession: 201 new, 200 already the caller's (idempotent). */
  async registerPublisherKey(registration: PublisherKeyRegistration): Promise<PublisherKey> {
    return (await this.transport.send(ROUTES.registerKey, { body: registration })).body;
  }

  async revokePublisherKey(keyId: string): Promise<void> {
    await this.transport.send(ROUTES.revokeKey, { path: { keyId } });
  }

  /** A presigned PUT for an artifact too large for an inline publish body. */
  async createArtifactUpload(request: ArtifactUploadRequest): Promise<ArtifactUpload> {
    return (await this.transport.send(ROUTES.createUpload, { body: request })).body;
  }

  /** Publishes a signed release: inline `code`, or the `uploadId` of a finished upload. */
  async publishRelease(release: PublishReleaseRequest): Promise<PublishedRelease> {
    return (await this.transport.send(ROUTES.publish, { body: release })).body;
  }
}
