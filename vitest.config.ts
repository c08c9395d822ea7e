import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // isolated-vm requires --no-node-snapshot on Node >= 20.
    execArgv: ['--no-node-snapshot'],
    globalSetup: ['test/support/global-setup.ts'],
    // Handlers log structured JSON; tests that check what is logged raise the level themselves.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
