// The key file a person picks: the desktop app's native dialog (Electron's, injected here: tests
// never load `electron`) and the web page's path field (`~` is the home folder; a file that is
// not there is named by its resolved path, before anything connects).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenDialogOptions } from 'electron';
import { keyFileChooser, type OpenDialog } from '../../../main/app/keyFileChooser.js';
import { createAppHandlers } from '../../../main/services/app.js';
import { createSessionHandlers } from '../../../main/services/ssh/handlers.js';
import type { ServiceDeps } from '../../../main/services/deps.js';
import { HomemailError } from '../../../shared/errors.js';

const home = '/home/hanako';

/** A dialog that records how it was opened and answers as the person did. */
function dialog(answer: { canceled: boolean; filePaths: string[] }): { open: OpenDialog; opened: OpenDialogOptions[] } {
  const opened: OpenDialogOptions[] = [];
  return {
    opened,
    open: async (options) => {
      opened.push(options);
      return answer;
    },
  };
}

const deps = (chooseFile?: ServiceDeps['chooseFile']): ServiceDeps => ({ door: chooseFile ? 'desktop' : 'web', version: '0.0.0-test', dataDir: mkdtempSync(path.join(tmpdir(), 'hm-chooser-')), now: () => new Date(), ...(chooseFile ? { chooseFile } : {}) });
const context = { signal: new AbortController().signal, progress: () => undefined };

describe('the native key file dialog', () => {
  it('opens in ~/.ssh for files only, hidden ones shown, and gives the chosen path', async () => {
    const d = dialog({ canceled: false, filePaths: ['/home/hanako/.ssh/id_ed25519'] });
    const handlers = createAppHandlers(deps(keyFileChooser(d.open, home)));
    expect(await handlers.chooseKeyFile({}, context)).toEqual({ status: 'chosen', path: '/home/hanako/.ssh/id_ed25519' });
    expect(d.opened).toEqual([{ properties: ['openFile', 'showHiddenFiles'], defaultPath: '/home/hanako/.ssh' }]);
  });

  it('says cancelled when the person closes the dialog', async () => {
    const d = dialog({ canceled: true, filePaths: [] });
    expect(await createAppHandlers(deps(keyFileChooser(d.open, home))).chooseKeyFile({}, context)).toEqual({ status: 'cancelled' });
  });

  it('opens at the path already typed, with ~ as the home folder', async () => {
    const d = dialog({ canceled: true, filePaths: [] });
    const choose = createAppHandlers(deps(keyFileChooser(d.open, home))).chooseKeyFile;
    await choose({ current: '~/.ssh/work_key' }, context);
    await choose({ current: '  keys/other ' }, context);
    await choose({ current: '~' }, context);
    expect(d.opened.map((o) => o.defaultPath)).toEqual(['/home/hanako/.ssh/work_key', '/home/hanako/keys/other', '/home/hanako']);
  });

  it('is unavailable in web mode, where the path field is the way', async () => {
    expect(await createAppHandlers(deps()).chooseKeyFile({}, context)).toEqual({ status: 'unavailable' });
  });
});

describe('the web page\'s key path', () => {
  const savedHome = process.env.HOME;
  afterEach(() => {
    process.env.HOME = savedHome;
  });

  it('expands ~ and names the resolved path of a missing key file, before connecting', async () => {
    const fakeHome = mkdtempSync(path.join(tmpdir(), 'hm-home-'));
    process.env.HOME = fakeHome;
    const handlers = createSessionHandlers(deps());
    // Port 1 on loopback: nothing would answer, and nothing is asked; the key file is read first.
    const failure = await handlers.connectServer({ target: 'admin@127.0.0.1:1', privateKeyPath: '~/.ssh/nothere', allowLegacyAlgorithms: false }, context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HomemailError);
    expect(failure).toMatchObject({ code: 'bad-input', details: { field: 'identity', path: path.join(fakeHome, '.ssh', 'nothere') } });
    expect((failure as HomemailError).message).toContain(path.join(fakeHome, '.ssh', 'nothere'));
  });
});
