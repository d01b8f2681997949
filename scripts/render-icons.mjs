// Renders assets/icon.svg to the PNGs electron-builder needs (it derives .ico and .icns from
// the 1024 px PNG), using the same headless Chromium as the browser tests.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const svg = readFileSync('assets/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.HOMEMAIL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
await mkdir('assets/icons', { recursive: true });
for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`);
  const file = size === 1024 ? 'assets/icon.png' : `assets/icons/${size}x${size}.png`;
  await page.screenshot({ path: file, omitBackground: true });
  await page.close();
}
await browser.close();
console.log('rendered assets/icon.png and assets/icons/*.png');
