// `npm start`: build, make sure Electron's desktop runtime is present (Electron fetches it
// on first launch), then open the app. Where it cannot be fetched, say so in one sentence
// and open the same wizard in the browser (web mode) instead: it always ends in the wizard.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronPackageDir, installedElectronBinary } from './electron-binary.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const built = spawnSync(npm, ['run', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

let binary = installedElectronBinary();
/** Why the desktop runtime is missing ('' when the download said nothing useful); null while it is there. */
let unavailable = null;
if (!binary) {
  // Its words come from the catalogs, in the person's language (LANG), like the CLI's.
  const { fetchingRuntimeLine } = await import('../dist/cli/startText.js');
  console.log(fetchingRuntimeLine(process.env));
  const fetched = spawnSync(process.execPath, [path.join(electronPackageDir(), 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
    encoding: 'utf8',
  });
  binary = fetched.status === 0 ? installedElectronBinary() : null;
  if (!binary) unavailable = (fetched.stderr ?? '').split('\n').find((line) => /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|timed out/i.test(line))?.trim() ?? '';
}

// Without the desktop runtime: `homemail web`, which says why in the person's language (from
// the catalogs, following LANG), prints its address and opens the browser.
const env = unavailable === null ? process.env : { ...process.env, HOMEMAIL_DESKTOP_UNAVAILABLE: unavailable };
const child = binary ? spawn(binary, ['.'], { stdio: 'inherit' }) : spawn(process.execPath, ['bin/homemail.js', 'web', ...process.argv.slice(2)], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
