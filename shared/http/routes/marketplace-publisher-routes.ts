import { z } from 'zod';
import { PublisherIdSchema } from '../../domain/marketplace.ts';
import { PublisherVerificationViewSchema } from '../../domain/marketplace-views.ts';
import {
  RevokePublisherVerificationRequestSchema,
  VerifyPublisherRequestSchema,
} from '../../domain/publisher-verification.ts';
import { defineRoute } from '../route-record.ts';

export const PublisherPathSchema = z.object({ publisherId: PublisherIdSchema });

// Verification is the platform's word on a publisher: platform admins only, never the publisher.
export const MARKETPLACE_PUBLISHER_ROUTES = [
  defineRoute({
    routeKey: 'POST /v1/marketplace/publishers/{publisherId}/verification',
    operationId: 'verifyPublisher',
    function: 'marketplace',
    scopes: ['marketplace:admin'],
    summary: 'Verify a publisher: the platform checks its domain proof (DNS TXT or well-known file)',
    request: { path: PublisherPathSchema, body: VerifyPublisherRequestSchema },
    maxBodyBytes: 4096,
    status: 200,
    response: PublisherVerificationViewSchema,
    problems: [422, 503],
  }),
  defineRoute({
    routeKey: 'DELETE /v1/marketplace/publishers/{publisherId}/verification',
    operationId: 'revokePublisherVerification',
    function: 'marketplace',
    scopes: ['marketplace:admin'],
    summary: "Revoke a publisher's verification, with an optional reason",
    request: { path: PublisherPathSchema, body: RevokePublisherVerificationRequestSchema },
    isBodyOptional: true,
    maxBodyBytes: 4096,
    status: 200,
    response: PublisherVerificationViewSchema,
  }),
] as const;
