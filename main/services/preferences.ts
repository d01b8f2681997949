import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { languageCodes } from '../../shared/contract/app.js';
import { catalogText, languageOfLocale, type CatalogText, type Language } from './catalogText.js';

/**
 * The person's choices that the main process needs without a window to ask: the language
 * chosen in the wizard (desktop notifications speak it). Kept in `preferences.json` in the
 * data folder; a file that does not parse counts as no choice.
 */
const preferencesSchema = z.object({ language: z.enum(languageCodes).optional() });
export type Preferences = z.output<typeof preferencesSchema>;

export const preferencesFile = (dataDir: string): string => path.join(dataDir, 'preferences.json');

function parsed(text: string): Preferences {
  try {
    const result = preferencesSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : {};
  } catch {
    return {};
  }
}

export function readPreferences(dataDir: string): Preferences {
  try {
    return parsed(readFileSync(preferencesFile(dataDir), 'utf8'));
  } catch {
    return {};
  }
}

/** Stores the language chosen in the wizard (one rename: a reader sees the old file or the new one). */
export async function savePreferredLanguage(dataDir: string, language: Language): Promise<void> {
  const file = preferencesFile(dataDir);
  let current: Preferences = {};
  try {
    current = parsed(await readFile(file, 'utf8'));
  } catch {
    // no preferences yet
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.homemail-${process.pid}`;
  await writeFile(temporary, `${JSON.stringify({ ...current, language })}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/** The words of a desktop notification: the language chosen in the wizard, else the system's (`systemLocale`, e.g. app.getLocale()). */
export function notificationWords(dataDir: string, systemLocale: string): CatalogText {
  return catalogText(readPreferences(dataDir).language ?? languageOfLocale(systemLocale));
}
