import { defineConfig } from 'vitest/config';
import { shellScriptText } from './scripts/shellScriptText.mjs';

export default defineConfig({
  plugins: [shellScriptText()],
  test: { include: ['test/electron/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
});
