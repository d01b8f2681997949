// `npm run test:host [-- --platform NAME] [vitest arguments]`: the host suites against the
// test host of one platform (default bookworm; `hostctl.sh platforms` lists them), or
// against each in turn with `--platform all`. Other arguments go to vitest as they are.
import { spawnSync } from 'node:child_process';
import { hostPlatforms } from './hostPlatforms.mjs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const known = hostPlatforms();
const platforms = [];
const vitestArgs = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const value = arg === '--platform' ? args[++i] : arg.startsWith('--platform=') ? arg.slice('--platform='.length) : null;
  if (value === null) {
    vitestArgs.push(arg);
  } else if (value === 'all') {
    platforms.push(...known);
  } else if (value !== undefined && known.includes(value)) {
    platforms.push(value);
  } else {
    console.error(`test:host: --platform ${value ?? ''}: choose one of ${known.join(', ')} or all`);
    process.exit(2);
  }
}
if (platforms.length === 0) platforms.push('bookworm');

let status = 0;
for (const platform of platforms) {
  console.log(`\n━━ host suites on ${platform} ━━`);
  const run = spawnSync(npx, ['vitest', 'run', '--config', 'vitest.host.config.ts', ...vitestArgs], {
    stdio: 'inherit',
    env: { ...process.env, HOMEMAIL_HOST_PLATFORM: platform },
  });
  if (run.status !== 0) status = run.status ?? 1;
}
process.exit(status);
