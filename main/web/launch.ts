import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Launcher {
  /** `file://…/open.html`: what the browser's argv shows, which opens nothing by itself. */
  fileUrl: string;
  dispose(): Promise<void>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A page, readable by this user only (a fresh 0700 folder, a 0600 file), that sends the
 * browser on to the address with its one-time code. The browser is given the page's path, so
 * other users listing processes see a file they cannot read, never the code.
 */
export async function writeLauncher(url: string): Promise<Launcher> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'homemail-web-'));
  const file = path.join(dir, 'open.html');
  const target = escapeHtml(url);
  await writeFile(
    file,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${target}"><title>Homemail</title><a href="${target}">Open Homemail</a>\n`,
    { mode: 0o600 },
  );
  return { fileUrl: pathToFileURL(file).href, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** The system's way to open an address: `open`, `start` or `xdg-open` (which follows $BROWSER). */
export function systemOpener(platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', ''] };
  return { command: 'xdg-open', args: [] };
}

/** Starts the browser on `target`, detached; errors (no browser) are left to the printed address. */
export function openInBrowser(target: string, opener = systemOpener()): ChildProcess {
  const child = spawn(opener.command, [...opener.args, target], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
  return child;
}
