import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LifecycleConfigSchema } from '../../../../functions/lifecycle/config.ts';
import { createLifecycleHandler } from '../../../../functions/lifecycle/wiring.ts';
import { createDocumentClient } from '../../../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbInstallationRepository } from '../../../../shared/adapters/aws/dynamodb-installation-repository.ts';
import { createTokenVerifier } from '../../../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../../../shared/config/platform-env.ts';
import { httpEvent } from '../../../support/api-gateway-events.ts';
import { createTestIssuer } from '../../../support/test-issuer.ts';

const context = {} as never;

describe('lifecycle handler: GET /v1/plugins', () => {
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let handler: ReturnType<typeof createLifecycleHandler>;
  const documentClient = createDocumentClient({ region: 'us-east-1' });
  const dynamodb = mockClient(documentClient);

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const config = LifecycleConfigSchema.parse({ ...issuer.env, PLUGINS_TABLE: 'plugins-table' });
    handler = createLifecycleHandler(config, {
      verifier: createTokenVerifier(authOptionsFrom(config)),
      installations: new DynamoDbInstallationRepository(documentClient, config.PLUGINS_TABLE),
    });
  });

  beforeEach(() => {
    dynamodb.reset();
    vi.restoreAllMocks();
  });

  it('lists the installations of the tenant named in the token only', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    const token = await issuer.token('t-acme', ['plugins:read']);

    const response = await handler(
      httpEvent('GET /v1/plugins', { headers: { authorization: `Bearer ${token}` } }),
      context,
    );

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ items: [] });
    const query = dynamodb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query?.ExpressionAttributeValues?.[':pk']).toBe('TENANT#t-acme');
    expect(response.headers?.['x-request-id']).toBeTruthy();
  });

  it('answers 401 problem+json without a token and 403 without the scope, before touching DynamoDB', async () => {
    const token = await issuer.token('t-acme', ['audit:read']);

    const anonymous = await handler(httpEvent('GET /v1/plugins'), context);
    const unscoped = await handler(
      httpEvent('GET /v1/plugins', { headers: { authorization: `Bearer ${token}` } }),
      context,
    );

    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(unscoped.body ?? '').code).toBe('FORBIDDEN');
    expect(dynamodb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers a 500 problem with the request id and no internals when DynamoDB fails', async () => {
    dynamodb.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceeded on table plugins-table'));
    const token = await issuer.token('t-acme', ['plugins:read']);
    const event = httpEvent('GET /v1/plugins', { headers: { authorization: `Bearer ${token}` } });

    const response = await handler(event, context);

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('plugins-table');
    expect(JSON.parse(response.body ?? '').instance).toBe(event.requestContext.requestId);
  });

  it('never writes the token or a canary PHI string to the logs', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    const token = await issuer.token('t-acme', ['plugins:read']);
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });

    await handler(
      httpEvent('GET /v1/plugins', {
        headers: { authorization: `Bearer ${token}`, 'x-canary': 'CANARY-PHI-Jane-Roe' },
        query: { cursor: 'CANARY-PHI-Jane-Roe' },
      }),
      context,
    );

    expect(lines.join('')).not.toContain('CANARY-PHI');
    expect(lines.join('')).not.toContain(token);
  });
});
