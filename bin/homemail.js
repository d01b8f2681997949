#!/usr/bin/env node
// The built CLI lives in dist/; `npm run build` makes it.
import { existsSync } from 'node:fs';
const entry = new URL('../dist/cli/homemail.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('homemail: the CLI is not built yet. Run `npm run build` first.\n');
  process.exit(2);
}
await import(entry.href);
