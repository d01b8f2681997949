import { randomBytes } from 'node:crypto';
import { keyedError } from '../../../shared/errors.js';
import type { SshSession } from './session.js';
import type { RemoteSession } from './types.js';

/**
 * The wizard's SSH connections, one per wizard session, keyed by a random id: the renderer
 * holds only the id, never the connection or the password.
 */
export class SessionStore {
  #sessions = new Map<string, SshSession>();

  add(session: SshSession): string {
    const id = randomBytes(18).toString('base64url');
    this.#sessions.set(id, session);
    return id;
  }

  /** The live session for an id; a closed or unknown one is a clear "connect again". */
  get(id: string): SshSession {
    const session = this.#sessions.get(id);
    if (!session || session.closed) {
      this.#sessions.delete(id);
      throw keyedError('not-found', { key: 'sessionClosed', params: {} }, { hint: { key: 'connectAgainFromServerStep', params: {} } });
    }
    return session;
  }

  async close(id: string): Promise<boolean> {
    const session = this.#sessions.get(id);
    this.#sessions.delete(id);
    if (!session) return false;
    await session.close();
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((id) => this.close(id)));
  }
}

/** The main process's store: what other services use to reach a wizard session's server. */
export const wizardSessions = new SessionStore();

/** The RemoteSession behind a wizard sessionId (for plan/apply/send-test/reports handlers). */
export function remoteSessionFor(sessionId: string): RemoteSession {
  return wizardSessions.get(sessionId);
}
