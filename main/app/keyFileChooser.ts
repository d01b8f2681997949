import path from 'node:path';
import type { OpenDialogOptions } from 'electron';
import { expandHome } from '../services/ssh/paths.js';

/** The part of Electron's dialog the chooser uses, given by the caller (tests never load `electron`). */
export type OpenDialog = (options: OpenDialogOptions) => Promise<{ canceled: boolean; filePaths: string[] }>;

/**
 * The desktop app's "choose a key file": the system's dialog, opened in the folder of the path
 * already typed (`~` is the home folder), else ~/.ssh. Returns the chosen path, or null when
 * the person cancels. Only the path crosses to the wizard, never the file's content.
 */
export function keyFileChooser(open: OpenDialog, home: string): (current?: string) => Promise<string | null> {
  return async (current) => {
    const typed = current?.trim() ? path.resolve(home, expandHome(current.trim(), home)) : null;
    const options: OpenDialogOptions = { properties: ['openFile', 'showHiddenFiles'], defaultPath: typed ?? path.join(home, '.ssh') };
    const result = await open(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}
