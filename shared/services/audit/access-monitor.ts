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
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { SecurityMetrics } from '../../ports/security-metrics.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import { platformEvent } from '../platform-event.ts';
import { type AuditTrail, appendToOutbox, auditEvent } from './audit-trail.ts';

export const ANOMALY_EVENT_NAME = 'security:anomaly';
const MONITOR_ACTOR = platformActor('access-monitor');
/** Read-apply-write attempts on one key before the record is handed back for the stream to retry. */
const DEFAULT_WRITE_ATTEMPTS = 3;

export interface AccessMonitorDependencies extends AuditTrail {
  readonly monitorState: AccessMonitorState;
  readonly policies: TenantPolicyRepository;
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
 * (an audit record with the evidence ids and a platform event, both into the outbox, and a metric by
 * rule). The stream is at-least-once: a
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
  // The record and the event join the outbox together and come back through the stream like any
  // entry. `security:anomaly` feeds no rule (see monitored-records), so raising one never raises
  // another. A refusal here fails the batch (AUDIT_UNAVAILABLE): the stream keeps it until the
  // outbox answers.
  const record = auditEvent(
    {
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
    },
    deps,
  );
  await appendToOutbox(deps, [
    record,
    platformEvent(ANOMALY_EVENT_NAME, anomaly.tenantId, { ...anomaly }, deps),
  ]);
  return anomaly;
}
