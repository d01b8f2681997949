// Builds the three parts: the renderer (Vite), the Electron main process and the CLI (ESM
// bundles, dependencies left in node_modules), and the sandboxed preload (one CommonJS file).
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { rm } from 'node:fs/promises';
import { shellScriptLoader } from './shellScriptText.mjs';

const onlyNode = process.argv.includes('--node-only');
if (!onlyNode) await rm('dist', { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  // The history store's SQLite is Node's own (node:sqlite, also in Electron's Node): never bundled.
  external: ['node:sqlite'],
  sourcemap: true,
  logLevel: 'warning',
  ...shellScriptLoader,
};

// The DMARC report reader's worker thread is its own file beside each bundle that starts it
// (main/services/reports/parseInWorker.ts finds it next to itself).
const reportsWorker = 'main/services/reports/reportsWorker.ts';

await Promise.all([
  // startText: the lines of `npm start` itself, imported by scripts/start.mjs after this build.
  esbuild({ ...node, entryPoints: { homemail: 'main/cli/bin.ts', reportsWorker, startText: 'main/cli/startText.ts' }, outdir: 'dist/cli' }),
  // ES2020 output for the Electron main process: Node runs it all the same, and
  // Electronegativity's parser (which predates ES2021 syntax such as `??=`) can then read it.
  esbuild({ ...node, target: 'es2020', entryPoints: { app: 'main/app/main.ts', reportsWorker }, outdir: 'dist/main', external: ['electron', 'node:sqlite'] }),
  esbuild({
    bundle: true,
    platform: 'node',
    target: 'chrome140',
    format: 'cjs',
    entryPoints: { preload: 'main/ipc/preload.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist/preload',
    external: ['electron'],
    logLevel: 'warning',
  }),
]);
if (!onlyNode) await vite({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
console.log('built dist/cli, dist/main, dist/preload' + (onlyNode ? '' : ', dist/renderer'));
