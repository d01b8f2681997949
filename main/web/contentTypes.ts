import path from 'node:path';
import { own } from '../../shared/dictionary.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The Content-Type for a file of the built renderer. */
export function contentTypeFor(file: string): string {
  return own(contentTypes, path.extname(file).toLowerCase()) ?? 'application/octet-stream';
}
