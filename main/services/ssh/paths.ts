import os from 'node:os';
import path from 'node:path';

/** Homemail's own known_hosts, in the data folder. */
export function knownHostsPath(dataDir: string): string {
  return path.join(dataDir, 'known_hosts');
}

/** `~` and `~/…` as the shell would expand them (other users' `~name` are left alone). */
export function expandHome(file: string, home = os.homedir()): string {
  if (file === '~') return home;
  if (file.startsWith('~/') || (process.platform === 'win32' && file.startsWith('~\\'))) return path.join(home, file.slice(2));
  return file;
}

/** The person's own ~/.ssh/known_hosts, trusted read-only like OpenSSH's UserKnownHostsFile. */
export function userKnownHostsPath(home = os.homedir()): string {
  return path.join(home, '.ssh', 'known_hosts');
}
