import { defineConfig } from 'vitest/config';
import { shellScriptText } from './scripts/shellScriptText.mjs';

export default defineConfig({
  plugins: [shellScriptText()],
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The wizard suite drives the real test host: bring it up (or say why not) like the host suites.
    globalSetup: ['test/host/globalSetup.ts'],
  },
});
