import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, startWebMode } from '../test/e2e/support.js';
import { median } from './stats.js';

/** Gzipped size of every JavaScript file the renderer ships, in kB (1000 bytes). */
export async function rendererJsGzipKb(rendererDir = 'dist/renderer'): Promise<number> {
  const files = await listFiles(rendererDir);
  let bytes = 0;
  for (const file of files.filter((f) => f.endsWith('.js'))) bytes += gzipSync(await readFile(file), { level: 9 }).length;
  return bytes / 1000;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return nested.flat();
}

/**
 * First contentful paint of the first step, from navigation start, in headless Chromium
 * through web mode; the median of `runs` cold page loads (a new browser context each).
 */
export async function firstPaintMs(runs = 7): Promise<{ median: number; samples: number[] }> {
  const web = await startWebMode();
  const browser = await launchBrowser();
  const samples: number[] = [];
  try {
    // Open the wizard (the first context trades the one-time code), then measure a plain load of the page.
    for (let i = 0; i < runs; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await web.open(page);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.goto(`http://127.0.0.1:${web.port}/`, { waitUntil: 'load' });
      await page.getByRole('heading', { level: 1 }).waitFor();
      // A string, so that this Node-typed file need not know the DOM's paint-timing types.
      const fcp = await page.evaluate<number>(`new Promise((resolve) => {
        const existing = performance.getEntriesByName('first-contentful-paint')[0];
        if (existing) return resolve(existing.startTime);
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      })`);
      samples.push(fcp);
      await context.close();
    }
  } finally {
    await browser.close();
    await web.stop();
  }
  return { median: median(samples), samples };
}
