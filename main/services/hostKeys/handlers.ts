import { parseSshTarget } from '../../../shared/validation/sshTarget.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { resolveTarget } from '../ssh/connect.js';
import { forgetKnownHost } from '../ssh/knownHosts.js';
import { knownHostsPath } from '../ssh/paths.js';

/** The wizard's "forget the old key" after a changed host key: Homemail's own file only, never ~/.ssh. */
export function createHostKeyHandlers(deps: ServiceDeps): HandlerGroup<'forgetHostKey'> {
  return {
    forgetHostKey: async (input) => {
      // a ~/.ssh/config alias names the host its HostName/Port say, as the key was recorded
      const { target } = await resolveTarget(parseSshTarget(input.target, 'target'));
      const file = knownHostsPath(deps.dataDir);
      return { removed: await forgetKnownHost(file, target.host, target.port), file };
    },
  };
}
