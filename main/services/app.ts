import type { HandlerGroup } from './handler.js';
import type { ServiceDeps } from './deps.js';

export function createAppHandlers(deps: ServiceDeps): HandlerGroup<'appInfo'> {
  return {
    appInfo: async () => ({ name: 'Homemail', version: deps.version, door: deps.door, platform: process.platform }),
  };
}
