import { defineConfig } from 'vitest/config';
import { shellScriptText } from './scripts/shellScriptText.mjs';

// Suites that need the real test host (test/host/README.md): one file at a time, since
// there is one host; long timeouts because they start real servers.
export default defineConfig({
  plugins: [shellScriptText()],
  test: {
    include: ['test/host/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 120_000,
    globalSetup: ['test/host/globalSetup.ts'],
  },
});
