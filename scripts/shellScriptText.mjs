// The server-side scripts (main/server/scripts/*.sh) are imported as text everywhere the
// TypeScript runs: esbuild's text loader for the bundles, this vite plugin for vitest, and
// the Node load hook below for tsx (registered by scripts/registerShellScriptText.mjs: `tsx --import ./scripts/registerShellScriptText.mjs`).
import { readFile } from 'node:fs/promises';

const asModule = (text) => `export default ${JSON.stringify(text)};\n`;

/** esbuild options: `{ ...shellScriptLoader }`. */
export const shellScriptLoader = { loader: { '.sh': 'text' } };

/** Vite/vitest plugin: `plugins: [shellScriptText()]`. */
export function shellScriptText() {
  return {
    name: 'homemail-shell-script-text',
    enforce: 'pre',
    async load(id) {
      const file = id.split('?')[0];
      if (!file.endsWith('.sh')) return null;
      return { code: asModule(await readFile(file, 'utf8')), map: null };
    },
  };
}

/** Node module load hook. */
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.sh')) {
    return { format: 'module', source: asModule(await readFile(new URL(url), 'utf8')), shortCircuit: true };
  }
  return next(url, context);
}

