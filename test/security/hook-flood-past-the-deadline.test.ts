import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DENIED_CALLS } from '../../shared/sandbox/limits.ts';
import { pluginWith } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

/**
 * The attack, inside one sandbox: a plugin that never stops hitting a refused hook. Each attempt
 * used to reach the platform's hooks (an audit record or event each); now a refusal costs the host
 * a map update, the run reports one entry per kind with a count, and it still ends by its deadline.
 */
const { sandbox, run, securityEvents, exceeded } = createTestSandbox();
afterAll(() => sandbox.dispose());

const TIMEOUT_MS = 400;
const forever = (body: string) =>
  pluginWith(`let attempts = 0; for (;;) { attempts++; try { ${body} } catch {} }`);

const SHAPES: [string, string, 'TimeoutExceeded' | 'PermissionDenied'][] = [
  ['emit past the cap', `api.events.emit('tick', { n: attempts });`, 'TimeoutExceeded'],
  ['oversized payloads', `api.events.emit('big', { blob: 'x'.repeat(70000) });`, 'TimeoutExceeded'],
  ['reserved names', `api.events.emit('appointment:cancelled', { n: attempts });`, 'PermissionDenied'],
  ['denied calls', `await api.patients.update('p-a1', { active: false });`, 'PermissionDenied'],
  [
    'denied calls, not awaited',
    `api.appointments.cancel('a-a1').catch(() => {}); await null;`,
    'PermissionDenied',
  ],
  ['rate-limited calls', `await api.patients.get('p-a1');`, 'TimeoutExceeded'],
  ['logs past the cap', `api.logger.info('line ' + attempts);`, 'TimeoutExceeded'],
];

describe('a plugin flooding refused hooks', () => {
  for (const [shape, body, code] of SHAPES) {
    it(`${shape}: reports each kind of refusal once with its count, and ends with ${code}`, async () => {
      securityEvents.length = 0;
      exceeded.length = 0;

      const result = await run(forever(body), {
        grants: ['read:patients'],
        limits: { timeoutMs: TIMEOUT_MS, databaseQueriesPerMinute: 5 },
      });

      console.info(`[${shape}] wallMs=${result.usage.wallMs} of timeoutMs=${TIMEOUT_MS}`);
      expect(result).toMatchObject({ ok: false, error: { code } });
      const reports = [...securityEvents, ...exceeded];
      expect(reports.length).toBeLessThanOrEqual(3);
      const kinds = new Set(reports.map((report) => JSON.stringify(report)));
      expect(kinds.size).toBe(reports.length);
      if (code === 'PermissionDenied') {
        expect(securityEvents[0]?.count).toBe(MAX_DENIED_CALLS);
      }
      await expectHealthy(run);
    });
  }

  it('counts denied calls toward the data-call rate limit', async () => {
    const code = pluginWith(`
      for (let i = 0; i < 4; i++) { try { await api.patients.update('p-a1', {}); } catch {} }
      try { await api.patients.get('p-a1'); return 'allowed'; } catch (error) { return error.code; }`);

    const result = await run(code, {
      grants: ['read:patients'],
      limits: { databaseQueriesPerMinute: 4 },
      pluginId: 'rate-probe',
    });

    expect(result).toMatchObject({ ok: true, value: 'RateLimited', usage: { dataCalls: 5 } });
  });

  it('ends a run that probes many permissions with one refusal record per kind, bounded', async () => {
    securityEvents.length = 0;
    const code = pluginWith(`
      for (let i = 0; i < 200; i++) { try { await api.http.fetch('https://h' + i + '.example.com/'); } catch {} }`);

    const result = await run(code, { grants: [] });

    expect(result).toMatchObject({ ok: false, error: { code: 'PermissionDenied' } });
    expect(securityEvents.length).toBeLessThanOrEqual(17);
    expect(securityEvents.reduce((total, event) => total + event.count, 0)).toBe(MAX_DENIED_CALLS);
  });
});
