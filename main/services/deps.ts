import os from 'node:os';
import path from 'node:path';

/**
 * What the services need from the world, passed in rather than reached for, so that tests
 * aim them at the test host and its DNS server, and each door supplies its own.
 */
export interface ServiceDeps {
  door: 'desktop' | 'web';
  version: string;
  /** Where Homemail keeps its own state (known hosts, profiles). Never holds secrets in clear. */
  dataDir: string;
  /** The history store (main/services/watch); default `history.sqlite` in dataDir. */
  historyFile?: string;
  now: () => Date;
  /** The desktop door's native "open file" dialog: the chosen path, or null when cancelled. Absent in web mode and the CLI. */
  chooseFile?: (current?: string) => Promise<string | null>;
}

/** The per-user data folder, as Electron's `userData` would be, for the CLI and web mode. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HOMEMAIL_DATA_DIR) return env.HOMEMAIL_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Homemail');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Homemail');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'homemail');
}
