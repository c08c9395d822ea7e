import type { Context } from 'aws-lambda';
import { DirectInvocationSchema, type RunOutcome } from '../../shared/domain/invocation.ts';
import { PLUGIN_EVENT_PREFIX } from '../../shared/sandbox/event-names.ts';
import { type DeliveryReport, deliverEvent } from '../../shared/services/execution/deliver-event.ts';
import { invokePlugin } from '../../shared/services/execution/invoke-plugin.ts';
import type { ExecutionHandlerDependencies } from './wiring.ts';

/**
 * The execution function has two callers and no routes: the lifecycle function's synchronous
 * invoke (a DirectInvocation) and EventBridge (an envelope whose detail-type is the event name).
 * Anything else is refused by throwing, so an async delivery of it ends in the dead-letter queue.
 */
export function createExecutionHandler(deps: ExecutionHandlerDependencies) {
  const { logger } = deps;
  return async (
    event: unknown,
    context?: Pick<Context, 'awsRequestId'>,
  ): Promise<RunOutcome | DeliveryReport> => {
    logger.resetKeys();
    if (context?.awsRequestId) logger.appendKeys({ awsRequestId: context.awsRequestId });
    const invocation = DirectInvocationSchema.safeParse(event);
    if (invocation.success) {
      const { tenantId, pluginId, requestId } = invocation.data;
      logger.appendKeys({ tenantId, pluginId, requestId });
      const outcome = await invokePlugin(invocation.data, deps);
      logger.info('invocation finished', summaryOf(outcome));
      return outcome;
    }
    if (isEnvelope(event)) {
      // A plugin event's name is plugin-chosen text (it could spell a birth date): only its kind is logged.
      const name = event['detail-type'];
      logger.appendKeys({
        eventId: event.id,
        eventName: name.startsWith(PLUGIN_EVENT_PREFIX) ? 'plugin-event' : name,
      });
      try {
        const report = await deliverEvent(event, deps);
        logger.info('event delivered', { delivered: report.delivered, skipped: report.skipped });
        return report;
      } catch (error) {
        logger.error('event delivery failed; the bus will retry', { errorName: (error as Error).name });
        throw error;
      }
    }
    logger.error('refused an event that is neither an invocation nor a subscribed event');
    throw new Error('unrecognised execution event');
  };
}

function isEnvelope(event: unknown): event is { id: string; 'detail-type': string } {
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof (event as { id?: unknown }).id === 'string' &&
    typeof (event as { 'detail-type'?: unknown })['detail-type'] === 'string'
  );
}

/** Codes and figures only: never the plugin's value, logs or events. */
function summaryOf(outcome: RunOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'ran':
      return {
        outcome: 'ran',
        ok: outcome.result.ok,
        code: outcome.result.ok ? undefined : outcome.result.error.code,
        wallMs: outcome.result.usage.wallMs,
      };
    case 'refused':
      return { outcome: 'refused', code: outcome.refusal.code };
    case 'crashed':
      return { outcome: 'crashed', code: outcome.code };
  }
}
