import type { Plugin } from 'vite';

export const shellScriptLoader: { loader: Record<string, 'text'> };
export function shellScriptText(): Plugin;
