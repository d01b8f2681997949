import { createAppHandlers } from './app.js';
import { createBackupHandlers } from './backups/handlers.js';
import { createChangeHandlers } from './dkim/handlers.js';
import type { ServiceDeps } from './deps.js';
import type { Handlers } from './handler.js';
import { createHostKeyHandlers } from './hostKeys/handlers.js';
import { createKeysHandlers } from './keys/handlers.js';
import { createReportsHandlers } from './reports/handlers.js';
import { createInboundHandlers } from './inbound/handlers.js';
import { createRelayHandlers } from './relay/handlers.js';
import { createTlsHandlers } from './tls/handlers.js';
import { createInspectHandlers } from './inspect/handlers.js';
import { createRotationHandlers } from './rotation/handlers.js';
import { createOutboundHandlers } from './outbound/handlers.js';
import { createSessionHandlers } from './ssh/handlers.js';
import { createVerifyHandlers } from './verify/handlers.js';
import { createWatchHandlers, withHistory } from './watch/handlers.js';

/** Every handler of the contract, built from one set of dependencies. */
export function createHandlers(deps: ServiceDeps): Handlers {
  return withHistory(deps, {
    ...createAppHandlers(deps),
    ...createChangeHandlers(deps),
    ...createSessionHandlers(deps),
    ...createKeysHandlers(deps),
    ...createReportsHandlers(deps),
    ...createInboundHandlers(deps),
    ...createRelayHandlers(deps),
    ...createTlsHandlers(deps),
    ...createOutboundHandlers(deps),
    ...createBackupHandlers(deps),
    ...createHostKeyHandlers(deps),
    ...createInspectHandlers(deps),
    ...createVerifyHandlers(deps),
    ...createWatchHandlers(deps),
    ...createRotationHandlers(deps),
  });
}
