import { z } from 'zod';
import { RescanReportSchema } from '../../domain/advisory-rescan.ts';
import { OsvRecordSchema } from '../../domain/dependency-scan.ts';
import { defineRoute } from '../route-record.ts';

export const AdvisoryPathSchema = z.object({
  advisoryId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/),
});
export const PutAdvisoryResultSchema = z.object({
  advisoryId: z.string(),
  databaseVersion: z.string(),
  isNew: z.boolean(),
});

/** Platform operators only: the advisory database's private advisories and an on-demand rescan. */
export const MARKETPLACE_ADVISORY_ROUTES = [
  defineRoute({
    routeKey: 'PUT /v1/marketplace/advisories/{advisoryId}',
    operationId: 'putPrivateAdvisory',
    function: 'marketplace',
    scopes: ['marketplace:admin'],
    summary: 'Add or replace a private advisory (one OSV record) in the advisory database',
    request: { path: AdvisoryPathSchema, body: OsvRecordSchema },
    status: 200,
    response: PutAdvisoryResultSchema,
  }),
  defineRoute({
    routeKey: 'POST /v1/marketplace/advisories/rescan',
    operationId: 'rescanReleases',
    function: 'marketplace',
    scopes: ['marketplace:admin'],
    summary: 'Rescan every published release against the current advisory database',
    request: {},
    status: 200,
    response: RescanReportSchema,
  }),
] as const;
