import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../../services/deps.js';
import { createHandlers } from '../../services/index.js';
import { defaultHistoryFile } from '../../services/watch/record.js';
import { wizardSessions } from '../../services/ssh/sessionStore.js';
import { readVersion } from '../../version.js';
import { openInBrowser, writeLauncher, type Launcher } from '../../web/launch.js';
import { startWebServer } from '../../web/server.js';
import { cliError, parseCommandArgs, writeLine, type CliIO, type Command } from '../command.js';
import { cliText } from '../language.js';

/** dist/renderer beside the built CLI (dist/cli), or HOMEMAIL_RENDERER_DIR. */
export function rendererDir(env: NodeJS.ProcessEnv): string {
  return env.HOMEMAIL_RENDERER_DIR ?? fileURLToPath(new URL('../renderer', import.meta.url));
}

export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw cliError('bad-input', 'cliPort', { value }, { field: 'port' });
  return Number(value);
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
    const text = cliText(io.env);
    writeLine(io, text.t('cli.web.running', { url: server.url }));
    writeLine(io, text.t('cli.web.once'));
    writeLine(io, text.t('cli.web.keepOpen'));
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
