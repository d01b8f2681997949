import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/electron/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
});
