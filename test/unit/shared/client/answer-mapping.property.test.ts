import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GradiantApiError,
  GradiantResponseError,
  PluginService,
  UNRECOGNISED_RESPONSE_CODE,
} from '../../../../shared/client/index.ts';
import { ERROR_CODES, UNEXPECTED_ERROR_CODE } from '../../../../shared/domain/errors/error-codes.ts';
import { anInstallation } from '../../../support/installation-factory.ts';

const KNOWN_CODES = new Set<string>([
  ...Object.keys(ERROR_CODES),
  UNEXPECTED_ERROR_CODE,
  UNRECOGNISED_RESPONSE_CODE,
]);

/** Any body a server, a gateway or a proxy might answer: JSON, a problem with odd members, text. */
const anyBody = fc.oneof(
  fc.json(),
  fc.string(),
  fc
    .record(
      {
        code: fc.oneof(fc.constantFrom(...Object.keys(ERROR_CODES)), fc.string(), fc.integer()),
        detail: fc.oneof(fc.string(), fc.integer()),
        errors: fc.oneof(fc.array(fc.record({ field: fc.string(), message: fc.string() })), fc.json()),
        findings: fc.json(),
      },
      { requiredKeys: [] },
    )
    .map((problem) => JSON.stringify(problem)),
);

const pluginsAnswering = (status: number, body: string) =>
  new PluginService({
    endpoint: 'https://plugins.example.test',
    token: 't',
    retry: { attempts: 1 },
    fetch: async () =>
      new Response(body, { status, headers: { 'content-type': 'application/problem+json' } }),
  });

describe('how the SDK reads an answer (property)', () => {
  it('turns any error answer into a GradiantApiError whose code is one of the known codes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 400, max: 599 }), anyBody, async (status, body) => {
        const failure = await pluginsAnswering(status, body)
          .getPlugin('p1')
          .catch((error: unknown) => error);

        expect(failure).toBeInstanceOf(GradiantApiError);
        expect(KNOWN_CODES.has((failure as GradiantApiError).code)).toBe(true);
        expect((failure as GradiantApiError).status).toBe(status);
      }),
      { numRuns: 300 },
    );
  });

  it('answers any success body with a schema-valid result or a GradiantResponseError, nothing else', async () => {
    const valid = JSON.stringify(anInstallation());
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyBody, fc.constant(valid)), async (body) => {
        const outcome = await pluginsAnswering(200, body)
          .getPlugin('p1')
          .then(
            (installation) => installation.pluginId,
            (error: unknown) => error,
          );

        if (body === valid) expect(outcome).toBe('p1');
        else expect(outcome).toBeInstanceOf(GradiantResponseError);
      }),
      { numRuns: 300 },
    );
  });
});
