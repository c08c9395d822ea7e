import { PLUGIN_SUBSCRIPTION_RULE } from '../../events/event-rules.ts';
import type { BusEnvelope, LocalBusTarget } from './local-event-bus.ts';
import type { LocalExecutionInvoker } from './local-execution-invoker.ts';

/**
 * The local bus's stand-in for the EventBridge rule that targets the execution function: subscribed
 * events go to the same supervised worker, asynchronously; a failed delivery rejects, so the bus
 * retries it and finally dead-letters it, as EventBridge and Lambda do.
 */
export function createLocalExecutionTarget(invoker: Pick<LocalExecutionInvoker, 'deliver'>): LocalBusTarget {
  return {
    rule: PLUGIN_SUBSCRIPTION_RULE,
    isDurable: false,
    deliver: (envelope: BusEnvelope) => invoker.deliver(envelope),
  };
}
