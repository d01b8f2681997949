// Finds the Electron binary without loading the `electron` module (whose import would try
// to download it): the package records the binary's path in path.txt once it is installed.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function electronPackageDir() {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('electron/package.json'));
}

/** The binary's path, or null when it has not been downloaded. */
export function installedElectronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    return existsSync(candidate) ? candidate : null;
  }
  const dir = electronPackageDir();
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
