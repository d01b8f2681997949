// Runs the real desktop app only where Electron's binary exists. It never imports the
// `electron` module (whose import would try to download the binary).
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { installedElectronBinary } from '../../scripts/electron-binary.mjs';

const binary = installedElectronBinary();

describe('desktop app', () => {
  it.skipIf(!binary)(
    binary ? 'opens the wizard window with the page isolated from Node' : 'SKIPPED: the Electron binary is not installed on this machine (it cannot be downloaded here)',
    async () => {
      const app = await electron.launch({ executablePath: binary ?? '', args: ['.'], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
      try {
        const page = await app.firstWindow();
        await page.getByRole('heading', { level: 1 }).waitFor();
        expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
        expect(await page.evaluate(() => typeof (globalThis as { homemail?: { appInfo?: unknown } }).homemail?.appInfo)).toBe('function');
        const info = await page.evaluate(() => (globalThis as unknown as { homemail: { appInfo: (input: object) => Promise<unknown> } }).homemail.appInfo({}));
        expect(info).toMatchObject({ ok: true, result: { door: 'desktop' } });
      } finally {
        await app.close();
      }
    },
  );
});
