import { z } from 'zod';
import { call } from './define.js';

export interface AppInfo {
  name: string;
  version: string;
  /** Which door the wizard came through: the desktop window or the local web page. */
  door: 'desktop' | 'web';
  platform: string;
}

/** The wizard's languages (its catalogs). */
export const languageCodes = ['en', 'ja'] as const;
export type LanguageCode = (typeof languageCodes)[number];

/** The desktop app's native file picker; the web page has none and shows its path field. */
export type ChosenFile = { status: 'chosen'; path: string } | { status: 'cancelled' } | { status: 'unavailable' };

export const appCalls = {
  appInfo: call<AppInfo>()({
    input: z.object({}).strict(),
    description: 'Name, version and the door the wizard runs behind.',
  }),
  chooseKeyFile: call<ChosenFile>()({
    /** `current`: the path already in the field, so the dialog opens in its folder. */
    input: z.object({ current: z.string().max(4096).optional() }).strict(),
    description: 'Lets the person pick a private key file with the system\'s file dialog (desktop only; "unavailable" in web mode). Returns the path only, never the content.',
  }),
  setLanguage: call<{ language: LanguageCode }>()({
    input: z.object({ language: z.enum(languageCodes) }).strict(),
    description: 'The language the person chose in the wizard, kept in the local settings: desktop notifications (watch) speak it instead of the system\'s.',
  }),
};
