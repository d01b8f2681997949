// The test host's platforms, as test/host/hostctl.sh (their one list) prints them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const hostctl = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'host', 'hostctl.sh');

/** @returns {string[]} */
export function hostPlatforms() {
  const run = spawnSync('bash', [hostctl, 'platforms'], { encoding: 'utf8' });
  // Without bash there is no test host either: the default platform's suites then say why they skip.
  if (run.status !== 0) return ['bookworm'];
  return run.stdout.split('\n').filter((line) => line !== '');
}
