import { savePreferredLanguage } from './preferences.js';
import type { HandlerGroup } from './handler.js';
import type { ServiceDeps } from './deps.js';

export function createAppHandlers(deps: ServiceDeps): HandlerGroup<'appInfo' | 'chooseKeyFile' | 'setLanguage'> {
  return {
    appInfo: async () => ({ name: 'Homemail', version: deps.version, door: deps.door, platform: process.platform }),
    chooseKeyFile: async (input) => {
      if (!deps.chooseFile) return { status: 'unavailable' };
      const chosen = await deps.chooseFile(input.current);
      return chosen === null ? { status: 'cancelled' } : { status: 'chosen', path: chosen };
    },
    setLanguage: async ({ language }) => {
      await savePreferredLanguage(deps.dataDir, language);
      return { language };
    },
  };
}
