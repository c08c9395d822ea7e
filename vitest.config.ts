import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // isolated-vm requires --no-node-snapshot on Node >= 20.
    execArgv: ['--no-node-snapshot'],
    globalSetup: ['test/support/global-setup.ts'],
    // Handlers log structured JSON and EMF metric lines; tests that check either turn them on themselves.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
