import { describe, expect, it } from 'vitest';
import { SECURITY_ADVISORY_EVENT } from '../../../../shared/domain/advisory-rescan.ts';
import { PLATFORM_EVENT_SOURCE } from '../../../../shared/domain/platform-events.ts';
import {
  COMPLIANCE_LOG_RULE,
  matchesRule,
  PLUGIN_SUBSCRIPTION_RULE,
} from '../../../../shared/events/event-rules.ts';

const event = (detailType: string) => ({ source: PLATFORM_EVENT_SOURCE, detailType });

describe('event rules', () => {
  it('keeps every platform event in the compliance log but the payloads plugins emit', () => {
    expect(matchesRule(COMPLIANCE_LOG_RULE, event('audit:plugin:invoked'))).toBe(true);
    expect(matchesRule(COMPLIANCE_LOG_RULE, event('appointment:cancelled'))).toBe(true);
    expect(matchesRule(COMPLIANCE_LOG_RULE, event('plugin:resource:exceeded'))).toBe(true);
    expect(matchesRule(COMPLIANCE_LOG_RULE, event('plugin-event:reminder:sent'))).toBe(false);
  });

  it('keeps security:advisory in the compliance log and hands it to no plugin', () => {
    expect(matchesRule(COMPLIANCE_LOG_RULE, event(SECURITY_ADVISORY_EVENT))).toBe(true);
    expect(matchesRule(PLUGIN_SUBSCRIPTION_RULE, event(SECURITY_ADVISORY_EVENT))).toBe(false);
  });

  it('routes data events and plugin events to subscribers, and nothing from another source', () => {
    expect(matchesRule(PLUGIN_SUBSCRIPTION_RULE, event('plugin-event:reminder:sent'))).toBe(true);
    expect(matchesRule(PLUGIN_SUBSCRIPTION_RULE, event('patient:updated'))).toBe(true);
    expect(matchesRule(PLUGIN_SUBSCRIPTION_RULE, event('audit:plugin:invoked'))).toBe(false);
    expect(
      matchesRule(PLUGIN_SUBSCRIPTION_RULE, { source: 'elsewhere', detailType: 'patient:updated' }),
    ).toBe(false);
  });
});
