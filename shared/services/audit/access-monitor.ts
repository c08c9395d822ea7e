import {
  type AccessMonitoringPolicy,
  DEFAULT_ACCESS_MONITORING,
} from '../../domain/access-monitoring/access-monitoring-policy.ts';
import type { Anomaly } from '../../domain/access-monitoring/anomaly.ts';
import {
  evaluateRule,
  isRuleEnabled,
  stateRetentionSeconds,
} from '../../domain/access-monitoring/evaluate-rule.ts';
import {
  type MonitoredRecord,
  monitoredRecordsOf,
} from '../../domain/access-monitoring/monitored-records.ts';
import type { RuleFinding } from '../../domain/access-monitoring/observation.ts';
import { platformActor } from '../../domain/actors.ts';
import { TenantIdSchema } from '../../domain/identifiers.ts';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import type { AccessMonitorState, AccessMonitorStateKey } from '../../ports/access-monitor-state.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { SecurityMetrics } from '../../ports/security-metrics.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import { type AuditTrail, recordAudit } from '../audited.ts';
import { platformEvent } from '../platform-event.ts';

export const ANOMALY_EVENT_NAME = 'security:anomaly';
const MONITOR_ACTOR = platformActor('access-monitor');
/** Read-apply-write attempts on one key before the record is handed back for the stream to retry. */
const DEFAULT_WRITE_ATTEMPTS = 3;

export interface AccessMonitorDependencies extends AuditTrail {
  readonly monitorState: AccessMonitorState;
  readonly policies: TenantPolicyRepository;
  readonly events: EventPublisher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly metrics: SecurityMetrics;
  readonly writeAttempts?: number;
}

export interface MonitorOutcome {
  readonly anomalies: Anomaly[];
  /** Events whose state write kept colliding: nothing of them was counted; deliver them again. */
  readonly unsettledEventIds: string[];
}

/**
 * The access-pattern rules over the audit stream: each `audit:*` event, in order, is counted into
 * the state of every rule it feeds, and a rule that crosses its threshold raises `security:anomaly`
 * (a platform event, an audit record with the evidence ids, and a metric by rule). The stream is at-least-once: a
 * replayed event is recognised by its id in the key's state and counts nothing.
 */
export async function monitorAuditEvents(
  events: readonly PlatformEvent[],
  deps: AccessMonitorDependencies,
): Promise<MonitorOutcome> {
  const policies = new Map<string, Promise<AccessMonitoringPolicy>>();
  const policyFor = (tenantId: string | undefined) => {
    // A platform-wide key (a publisher across tenants) answers to no one tenant's policy.
    if (tenantId === undefined) return Promise.resolve(DEFAULT_ACCESS_MONITORING);
    let policy = policies.get(tenantId);
    if (!policy) {
      policy = deps.policies
        .get(TenantIdSchema.parse(tenantId))
        .then((stored) => stored.policy.accessMonitoring);
      policies.set(tenantId, policy);
    }
    return policy;
  };
  const anomalies: Anomaly[] = [];
  const unsettled = new Set<string>();
  for (const event of events) {
    for (const monitored of monitoredRecordsOf(event)) {
      if (
        monitored.subject.tenantId !== undefined &&
        !TenantIdSchema.safeParse(monitored.subject.tenantId).success
      ) {
        continue;
      }
      const policy = await policyFor(monitored.subject.tenantId);
      if (!isRuleEnabled(monitored.subject.rule, policy)) continue;
      const result = await countWithRetries(monitored, policy, deps);
      if (result === 'unsettled') unsettled.add(event.id);
      else if (result) anomalies.push(await raiseAnomaly(monitored, result, deps));
    }
  }
  return { anomalies, unsettledEventIds: [...unsettled] };
}

function stateKeyOf({ subject }: MonitoredRecord): AccessMonitorStateKey {
  return {
    rule: subject.rule,
    tenantId: subject.tenantId,
    subjectId: subject.rule === 'PublisherVerificationFailures' ? subject.publisherId : subject.pluginId,
  };
}

async function countWithRetries(
  monitored: MonitoredRecord,
  policy: AccessMonitoringPolicy,
  deps: AccessMonitorDependencies,
): Promise<RuleFinding | undefined | 'unsettled'> {
  const key = stateKeyOf(monitored);
  const retentionMs = stateRetentionSeconds(key.rule, policy) * 1000;
  for (let attempt = 0; attempt < (deps.writeAttempts ?? DEFAULT_WRITE_ATTEMPTS); attempt += 1) {
    const now = deps.clock.now();
    const stored = await deps.monitorState.get(key, now);
    const step = evaluateRule(key.rule, stored.data, monitored.observation, policy);
    if (!step.isCounted) return undefined;
    const expiresAt = new Date(now.getTime() + retentionMs);
    if (await deps.monitorState.put(key, step.state, stored.version, expiresAt)) return step.finding;
  }
  return 'unsettled';
}

async function raiseAnomaly(
  { subject }: MonitoredRecord,
  finding: RuleFinding,
  deps: AccessMonitorDependencies,
): Promise<Anomaly> {
  const anomaly: Anomaly = {
    rule: subject.rule,
    ...(subject.tenantId === undefined ? {} : { tenantId: subject.tenantId }),
    ...(subject.rule === 'PublisherVerificationFailures'
      ? { publisherId: subject.publisherId }
      : { pluginId: subject.pluginId }),
    windowStart: finding.windowStart.toISOString(),
    windowEnd: finding.windowEnd.toISOString(),
    observed: finding.observed,
    threshold: finding.threshold,
    evidenceRecordIds: finding.evidenceRecordIds,
  };
  deps.metrics.anomalyRaised(anomaly, deps.clock.now());
  // The state already counts this finding, so a bus failure must not cost the audit record (which
  // has its retries and outbox): the event is best effort, the record is the trail.
  await deps.events
    .publish([platformEvent(ANOMALY_EVENT_NAME, anomaly.tenantId, { ...anomaly }, deps)])
    .catch(() => undefined);
  await recordAudit(deps, {
    action: ANOMALY_EVENT_NAME,
    // The detection itself succeeded; what it found is in `anomaly` and `code`.
    outcome: 'success',
    actor: MONITOR_ACTOR,
    tenantId: anomaly.tenantId,
    pluginId: anomaly.pluginId,
    publisherId: anomaly.publisherId,
    code: anomaly.rule,
    anomaly: {
      rule: anomaly.rule,
      windowStart: anomaly.windowStart,
      windowEnd: anomaly.windowEnd,
      observed: anomaly.observed,
      threshold: anomaly.threshold,
    },
    evidenceRecordIds: anomaly.evidenceRecordIds,
  });
  return anomaly;
}
