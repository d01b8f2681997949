import { defineConfig } from 'vitest/config';
import { shellScriptText } from './scripts/shellScriptText.mjs';

export default defineConfig({
  plugins: [shellScriptText()],
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    typecheck: { enabled: true, include: ['test/unit/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
