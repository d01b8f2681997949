import type { PresentedHostKey } from '../../../shared/contract/session.js';
import { HomemailError } from '../../../shared/errors.js';
import { parseSshTarget } from '../../../shared/validation/sshTarget.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { connectSsh } from './connect.js';
import { knownHostsPath } from './paths.js';
import { wizardSessions, type SessionStore } from './sessionStore.js';

function presented(details: HomemailError['details']): PresentedHostKey | null {
  if (!details || typeof details.fingerprint !== 'string') return null;
  return {
    host: String(details.host),
    port: Number(details.port),
    keyType: String(details.keyType),
    bits: typeof details.bits === 'number' ? details.bits : null,
    fingerprint: details.fingerprint,
  };
}

export function createSessionHandlers(deps: ServiceDeps, store: SessionStore = wizardSessions): HandlerGroup<'connectServer' | 'disconnectServer'> {
  return {
    connectServer: async (input, { signal }) => {
      const target = parseSshTarget(input.target, 'target');
      try {
        const session = await connectSsh({
          target,
          knownHostsFile: knownHostsPath(deps.dataDir),
          onUnknownHostKey: input.acceptFingerprint === undefined ? 'refuse' : { acceptFingerprint: input.acceptFingerprint },
          ...(input.privateKeyPath === undefined ? {} : { identityFile: input.privateKeyPath }),
          ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
          ...(input.password === undefined ? {} : { password: input.password }),
          allowLegacyAlgorithms: input.allowLegacyAlgorithms,
          signal,
        });
        const sessionId = store.add(session);
        const key = session.hostKey;
        return {
          status: 'connected',
          sessionId,
          target: { ...session.target },
          hostKey: { host: session.target.host, port: session.target.port, keyType: key.keyType, bits: key.bits, fingerprint: key.fingerprint },
        };
      } catch (error) {
        // first contact (or the next host behind a jump host): the wizard shows the
        // fingerprint and connects again once it is accepted
        if (error instanceof HomemailError && error.code === 'host-key-unknown') {
          const hostKey = presented(error.details);
          if (hostKey) return { status: 'confirm-host-key', hostKey };
        }
        throw error;
      }
    },
    disconnectServer: async (input) => ({ closed: await store.close(input.sessionId) }),
  };
}
