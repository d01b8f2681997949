// The Electron main process: window, lifecycle and security settings. Everything else is
// plain Node in main/services, reached through the contract.
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, session, type WebContents } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_INDEX_URL, registerAppScheme, serveRenderer } from './appProtocol.js';
import { bindIpc } from '../ipc/bindIpc.js';
import { createHandlers } from '../services/index.js';
import { wizardSessions } from '../services/ssh/sessionStore.js';
import { knownHostsPath } from '../services/ssh/paths.js';
import { historyStoreFor } from '../services/watch/handlers.js';
import { watchTargets } from '../services/watch/runWatch.js';
import { startWatchSchedule } from '../services/watch/schedule.js';
import { hardenSession, isOwnPage, lockNavigation } from './security.js';
import { keyFileChooser } from './keyFileChooser.js';
import { notificationWords } from '../services/preferences.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/preload.cjs');

app.enableSandbox();
registerAppScheme();
app.on('web-contents-created', (_event, contents) => lockNavigation(contents));

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1040,
    height: 760,
    minWidth: 720,
    minHeight: 560,
    show: false,
    title: 'Homemail',
    // Written out here (not built by a helper) so that reviewers and Electronegativity see
    // every setting where the window is made.
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_INDEX_URL);
  return window;
}

void app.whenReady().then(() => {
  hardenSession(session.defaultSession);
  serveRenderer(rendererDir);
  if (process.platform !== 'darwin') Menu.setApplicationMenu(null);
  const chooseFile = keyFileChooser((options) => {
    const owner = BrowserWindow.getFocusedWindow();
    return owner ? dialog.showOpenDialog(owner, options) : dialog.showOpenDialog(options);
  }, app.getPath('home'));
  const deps = { door: 'desktop' as const, version: app.getVersion(), dataDir: app.getPath('userData'), now: () => new Date(), chooseFile };
  const handlers = createHandlers(deps);
  // Keeping watch while the app is open: the store in userData, the schedule the Status page sets.
  const history = historyStoreFor(deps);
  startWatchSchedule({
    store: history,
    now: deps.now,
    run: () => watchTargets(history.targets(), { store: history, now: deps.now, env: process.env, knownHostsFile: knownHostsPath(deps.dataDir) }),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    // The language chosen in the wizard (setLanguage); the system's until a choice is made.
    words: () => notificationWords(deps.dataDir, app.getLocale()),
  });
  const windows = new Set<WebContents>();
  bindIpc(ipcMain, handlers, (sender, frameUrl) => windows.has(sender) && isOwnPage(frameUrl));
  const track = (window: BrowserWindow) => {
    const contents = window.webContents;
    windows.add(contents);
    window.on('closed', () => windows.delete(contents));
  };
  track(createWindow());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) track(createWindow());
  });
});

app.on('before-quit', () => {
  void wizardSessions.closeAll();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
