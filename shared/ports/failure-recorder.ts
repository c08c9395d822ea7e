/**
 * Feeds the circuit breaker: the execution path reports each plugin error and limit breach; the
 * lifecycle side counts them per tenant within the policy window and disables the plugin for that
 * tenant (`plugin:disabled` with reason `auto:error-rate` / `auto:resource`) when a threshold is crossed.
 */
export interface FailureRecorder {
  recordFailure(failure: {
    tenantId: string;
    pluginId: string;
    version: string;
    kind: 'error' | 'resource';
    code: string;
  }): Promise<void>;
}
