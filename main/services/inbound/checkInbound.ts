import { keyedError } from '../../../shared/errors.js';
import { mainCfSettings } from '../../server/config/mainCf.js';
import { inboundReadScript } from '../../server/scripts/index.js';
import type { ClientHostnameAdvice, InboundReport } from '../../../shared/inbound.js';
import { commandLine } from '../ssh/quote.js';
import { commandFailure } from '../ssh/commandFailure.js';
import type { RemoteSession } from '../ssh/types.js';
import { probeBlocklists, SUGGESTED_LISTS } from './blocklists.js';
import { currentHostnameRule, findBlocklists } from './restrictions.js';

/**
 * The inbound picture in two round trips: Postfix's settings and how many clients in the
 * mail log had no (confirmed) name, then the blocklist probes through the server's resolver.
 */

export interface InboundSettings {
  settings: Record<string, string>;
  connections: number;
  unknownClients: number;
}

export async function readInboundSettings(session: RemoteSession, signal?: AbortSignal): Promise<InboundSettings> {
  const result = await session.exec(commandLine(['sh', '-c', inboundReadScript, 'homemail-inbound']), { sudo: true, timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  const out = result.stdout;
  if (!out.includes('HOMEMAIL-END')) {
    throw keyedError('command-failed', { key: 'postfixSettingsUnreadable', params: {} }, commandFailure(result));
  }
  const postconf = out.slice(out.indexOf('HOMEMAIL-POSTCONF\n') + 18, out.indexOf('HOMEMAIL-LOG\n'));
  const settings = mainCfSettings(postconf);
  if (Object.keys(settings).length === 0) {
    throw keyedError('not-found', { key: 'postfixNotInstalled', params: {} }, { notes: [{ key: 'postconfPrintedNothing', params: {} }], hint: { key: 'installPostfix', params: {} } });
  }
  const log = out.slice(out.indexOf('HOMEMAIL-LOG\n'));
  const count = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(log)?.[1] ?? '0');
  return { settings, connections: count('connections'), unknownClients: count('unknown') };
}

export function hostnameAdvice(read: InboundSettings): ClientHostnameAdvice {
  const { rule, parameter } = currentHostnameRule(read.settings);
  const share = read.connections === 0 ? '' : ` In the mail log, ${read.unknownClients} of ${read.connections} connections came from clients without a confirmed name.`;
  const explain =
    'reject_unknown_reverse_client_hostname refuses clients whose address has no reverse (PTR) name. reject_unknown_client_hostname is stricter: the PTR name must also resolve back to the same address (forward-confirmed reverse DNS), which most spam sources on home and hijacked connections fail, but so do some small legitimate servers.';
  const next =
    rule === 'strict'
      ? ' The strict rule is in force; list known senders whose DNS does not match in the allowlist before it.'
      : ' Before switching to the strict rule, list the known senders whose DNS does not match in an allowlist (check_client_access) placed before the reject; temporary DNS failures get a 450 retry, never a bounce.';
  return { current: rule, parameter, unknownClients: read.unknownClients, connections: read.connections, text: `${explain}${share}${next}` };
}

export async function checkInbound(session: RemoteSession, signal?: AbortSignal): Promise<InboundReport> {
  const start = session.roundTrips;
  const read = await readInboundSettings(session, signal);
  const uses = findBlocklists(read.settings);
  const tests = await probeBlocklists(session, uses, signal);
  const silent = tests.length > 1 && tests.every((t) => t.status === 'no-answer');
  return {
    blocklists: tests,
    clientHostname: hostnameAdvice(read),
    suggestions: [...SUGGESTED_LISTS],
    resolverWarning: silent ? "No list answered at all: the server's resolver may be down or blocked (check /etc/resolv.conf) before removing every list." : null,
    roundTrips: session.roundTrips - start,
  };
}
