import {
  InvokeCommand,
  type InvokeCommandOutput,
  type LambdaClient,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import {
  crashed,
  type DirectInvocation,
  type RunOutcome,
  RunOutcomeSchema,
  refused,
} from '../../domain/invocation.ts';
import type { ExecutionInvoker } from '../../ports/execution-invoker.ts';
import { classifyCrash } from '../../sandbox/classify-crash.ts';

/**
 * Invokes the execution function synchronously. The function answers every plugin fault with a
 * run result; a `FunctionError` means the instance itself died (a V8 abort from a memory bomb, a
 * function timeout) and is answered as a crashed outcome, never a hung or 500 request. Lambda
 * throttling the call (the function's reserved concurrency is in use) means nothing ran: it is
 * refused `ExecutionThrottled`, which the invoke route turns into 429 with Retry-After. Other
 * errors calling Lambda (permissions) are not plugin faults and reject as they are.
 */
export class LambdaExecutionInvoker implements ExecutionInvoker {
  private readonly client: LambdaClient;
  private readonly functionName: string;

  constructor(client: LambdaClient, functionName: string) {
    this.client = client;
    this.functionName = functionName;
  }

  async invoke(invocation: DirectInvocation): Promise<RunOutcome> {
    let response: InvokeCommandOutput;
    try {
      response = await this.client.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(invocation)),
        }),
      );
    } catch (error) {
      if (!(error instanceof TooManyRequestsException)) throw error;
      return refused({ code: 'ExecutionThrottled', retryAfterSeconds: 1 });
    }
    const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    if (response.FunctionError) return crashedRun(describeError(text));
    const parsed = RunOutcomeSchema.safeParse(safeJson(text));
    return parsed.success ? parsed.data : crashed('SandboxCrashed');
  }
}

function describeError(text: string): string {
  const payload = safeJson(text) as { errorType?: unknown; errorMessage?: unknown } | undefined;
  return `${String(payload?.errorType ?? '')} ${String(payload?.errorMessage ?? '')}`;
}

/** Only the kind of failure is kept: Lambda's error text names request ids and runtime paths. */
function crashedRun(description: string): RunOutcome {
  return crashed(classifyCrash({ errorText: description }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
