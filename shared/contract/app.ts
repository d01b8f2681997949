import { z } from 'zod';
import { call } from './define.js';

export interface AppInfo {
  name: string;
  version: string;
  /** Which door the wizard came through: the desktop window or the local web page. */
  door: 'desktop' | 'web';
  platform: string;
}

export const appCalls = {
  appInfo: call<AppInfo>()({
    input: z.object({}).strict(),
    description: 'Name, version and the door the wizard runs behind.',
  }),
};
