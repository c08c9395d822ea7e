import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaExecutionInvoker } from '../../../../../shared/adapters/aws/lambda-execution-invoker.ts';
import type { DirectInvocation } from '../../../../../shared/domain/invocation.ts';

const invocation: DirectInvocation = {
  kind: 'invoke',
  tenantId: 't-acme',
  pluginId: 'reader',
  actor: 'user-1',
  requestId: 'req-1',
  input: { id: 'p-1' },
};
const usage = { wallMs: 3, cpuMs: 1, peakHeapBytes: 100, dataCalls: 1, networkCalls: 0, storageBytes: 0 };
const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;

describe('LambdaExecutionInvoker', () => {
  const client = new LambdaClient({ region: 'us-east-1' });
  const lambda = mockClient(client);
  const invoker = new LambdaExecutionInvoker(client, 'execution-fn');

  beforeEach(() => lambda.reset());

  it('invokes the execution function synchronously and returns its run result', async () => {
    const outcome = { kind: 'ran', result: { ok: true, value: 'x', usage, logs: [], events: [] } };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(outcome) });

    expect(await invoker.invoke(invocation)).toEqual(outcome);
    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input?.FunctionName).toBe('execution-fn');
    expect(input?.InvocationType).toBe('RequestResponse');
    expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).toEqual(invocation);
  });

  const INSTANCE_DEATHS = [
    [
      'ran out of memory',
      'Runtime.OutOfMemory',
      'Runtime exited with error: signal: killed',
      'MemoryLimitExceeded',
    ],
    [
      'ran past the function timeout',
      'Sandbox.Timedout',
      'Task timed out after 15.00 seconds',
      'TimeoutExceeded',
    ],
  ] as const;
  for (const [what, errorType, detail, code] of INSTANCE_DEATHS) {
    it(`answers ${code} when the instance ${what}, without Lambda's text`, async () => {
      lambda.on(InvokeCommand).resolves({
        FunctionError: 'Unhandled',
        Payload: payload({ errorType, errorMessage: `RequestId: abc Error: ${detail}` }),
      });

      const outcome = await invoker.invoke(invocation);

      expect(outcome).toEqual({ kind: 'crashed', code });
      expect(JSON.stringify(outcome)).not.toContain('abc');
    });
  }

  it('answers SandboxCrashed for any other function error, without its internals', async () => {
    lambda.on(InvokeCommand).resolves({
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'Runtime.ExitError', errorMessage: 'exited at /var/task/index.mjs' }),
    });

    const outcome = await invoker.invoke(invocation);

    expect(outcome).toEqual({ kind: 'crashed', code: 'SandboxCrashed' });
    expect(JSON.stringify(outcome)).not.toContain('/var/task');
  });

  it('answers SandboxCrashed when the payload is not a run outcome', async () => {
    lambda.on(InvokeCommand).resolves({ Payload: payload({ surprise: true }) });

    expect(await invoker.invoke(invocation)).toEqual({ kind: 'crashed', code: 'SandboxCrashed' });
  });

  it('parses a refusal as its typed discriminant, facts included', async () => {
    const outcome = {
      kind: 'refused',
      refusal: { code: 'PluginNotEnabled', state: 'disabled', stateReason: 'auto:error-rate' },
    };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(outcome) });

    expect(await invoker.invoke(invocation)).toEqual(outcome);
  });

  it('answers SandboxCrashed to a run result whose error code the sandbox does not have', async () => {
    const forged = {
      kind: 'ran',
      result: { ok: false, error: { code: 'PluginNotFound', message: 'x' }, usage, logs: [], events: [] },
    };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(forged) });

    expect(await invoker.invoke(invocation)).toEqual({ kind: 'crashed', code: 'SandboxCrashed' });
  });

  it('answers ExecutionThrottled with a Retry-After when Lambda throttles the call (nothing ran)', async () => {
    lambda.on(InvokeCommand).rejects(
      new TooManyRequestsException({
        message: 'Rate Exceeded.',
        $metadata: {},
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      }),
    );

    expect(await invoker.invoke(invocation)).toEqual({
      kind: 'refused',
      refusal: { code: 'ExecutionThrottled', retryAfterSeconds: 1 },
    });
  });

  it('rejects when Lambda cannot be called at all (not a plugin fault)', async () => {
    lambda.on(InvokeCommand).rejects(new Error('AccessDeniedException'));

    await expect(invoker.invoke(invocation)).rejects.toThrow('AccessDenied');
  });
});
