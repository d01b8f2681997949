import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../../services/deps.js';
import { createHandlers } from '../../services/index.js';
import { defaultHistoryFile } from '../../services/watch/record.js';
import { wizardSessions } from '../../services/ssh/sessionStore.js';
import { readVersion } from '../../version.js';
import { openInBrowser, writeLauncher, type Launcher } from '../../web/launch.js';
import { startWebServer } from '../../web/server.js';
import { cliError, oneLine, parseCommandArgs, writeLine, type CliIO, type Command } from '../command.js';
import { cliText, type CliText } from '../language.js';

/** dist/renderer beside the built CLI (dist/cli), or HOMEMAIL_RENDERER_DIR. */
export function rendererDir(env: NodeJS.ProcessEnv): string {
  return env.HOMEMAIL_RENDERER_DIR ?? fileURLToPath(new URL('../renderer', import.meta.url));
}

export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw cliError('bad-input', 'cliPort', { value }, { field: 'port' });
  return Number(value);
}

/**
 * What `homemail web` says first. `npm start` sets HOMEMAIL_DESKTOP_UNAVAILABLE (the reason,
 * possibly empty) when the desktop runtime could not be fetched, so that sentence too is in
 * the person's language.
 */
export function webIntro(url: string, env: NodeJS.ProcessEnv, text: CliText): string[] {
  const reason = env.HOMEMAIL_DESKTOP_UNAVAILABLE;
  const desktop = reason === undefined ? [] : [text.t(reason === '' ? 'cli.web.noDesktop' : 'cli.web.noDesktopBecause', { reason: oneLine(reason) })];
  return [...desktop, text.t('cli.web.running', { url }), text.t('cli.web.once'), text.t('cli.web.keepOpen')];
}

export const webCommand: Command = {
  name: 'web',
  usage: 'web [--port N] [--no-open]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { port: { type: 'string' }, 'no-open': { type: 'boolean' } });
    const port = parsePort(values.port);
    const dir = rendererDir(io.env);
    if (!existsSync(`${dir}/index.html`)) {
      throw cliError('usage', 'cliWebNotBuilt', { dir });
    }
    const handlers = createHandlers({ door: 'web', version: readVersion(), dataDir: defaultDataDir(io.env), historyFile: defaultHistoryFile(io.env), now: () => new Date() });
    let launcher: Launcher | undefined;
    const server = await startWebServer({ handlers, rendererDir: dir, port, onSessionOpened: () => void launcher?.dispose() });
    for (const line of webIntro(server.url, io.env, cliText(io.env))) writeLine(io, line);
    if (!values['no-open']) {
      launcher = await writeLauncher(server.url);
      openInBrowser(launcher.fileUrl);
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        // Open SSH connections would keep the process alive: close them with the server.
        void Promise.all([wizardSessions.closeAll(), server.close(), launcher?.dispose()]).then(() => resolve());
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
