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

/**
 * The known_hosts files `ssh` reads besides Homemail's own: OpenSSH's default
 * UserKnownHostsFile and GlobalKnownHostsFile (ssh_config(5)). Homemail trusts them
 * read-only and records new keys only in its own file.
 */
export function sshKnownHostsPaths(home = os.homedir()): string[] {
  const user = [path.join(home, '.ssh', 'known_hosts'), path.join(home, '.ssh', 'known_hosts2')];
  if (process.platform === 'win32') return [...user, path.join(process.env.ProgramData ?? 'C:\\ProgramData', 'ssh', 'ssh_known_hosts')];
  return [...user, '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];
}
