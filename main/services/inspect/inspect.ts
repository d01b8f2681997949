import type { Inspection } from '../../../shared/inspection.js';
import { keyedError } from '../../../shared/errors.js';
import type { SshSession } from '../ssh/session.js';
import { commandFailure } from '../ssh/commandFailure.js';
import type { RemoteSession } from '../ssh/types.js';
import { buildInspection } from './buildInspection.js';
import { parseProbeOutput } from './probeOutput.js';
import { inspectScript } from '../../server/scripts/index.js';

export const inspectTimeoutMs = 60_000;

/**
 * Learns what the server has in ONE round trip: the probe script goes on stdin to `sh -s`
 * as root (sudo when needed, in the same exec), and prints one JSON object.
 */
export async function inspectServer(session: RemoteSession, options: { signal?: AbortSignal } = {}): Promise<Inspection> {
  const result = await session.exec('sh -s', { sudo: true, stdin: inspectScript, timeoutMs: inspectTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  if (result.code !== 0) {
    throw keyedError('command-failed', { key: 'inspectionFailed', params: { host: session.target.host } }, { hint: { key: 'checkShell', params: {} }, ...commandFailure(result) });
  }
  const fields = parseProbeOutput(result.stdout);
  const privilege = fields.uid === '0' && session.isRoot ? 'root' : ((session as Partial<SshSession>).privilege ?? (session.isRoot ? 'root' : 'sudo-nopasswd'));
  if (fields.uid !== '0') {
    throw keyedError('sudo-failed', { key: 'inspectionNotRoot', params: { host: session.target.host, uid: fields.uid } }, { hint: { key: 'checkSudo', params: {} } });
  }
  return buildInspection(fields, { target: session.target, privilege });
}
