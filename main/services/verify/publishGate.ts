/**
 * Publish before sign: a new selector's DKIM record must be visible before the server signs
 * with its key, else every message carries a signature receivers cannot check. Asks the
 * zone's authoritative servers (found via NS, like verify) or the chosen resolvers whether
 * they answer the selector's record with the key's own p=.
 */
import type { ErrorSentence } from '../../../shared/errors.js';
import type { PublishGateReport, SelectorVisibility, ServerAnswer, Visibility } from '../../../shared/contract/records.js';
import { parseDkimKeyRecord, joinTxt } from '../../../shared/verify/tags.js';
import { checkText } from '../../../shared/checks.js';
import { DnsClient, type DnsServer } from './dnsClient.js';
import { serversForDomain } from './published.js';

export interface DkimKeyToPublish {
  selector: string;
  /** The p= the record must hold. */
  publicKey: string;
}

export interface PublishGateOptions {
  domain: string;
  keys: readonly DkimKeyToPublish[];
  /** `ADDR[:PORT]` texts: ask these instead of the zone's authoritative servers. */
  resolvers?: readonly string[];
  /** Recursive servers used to find the authoritative ones (tests aim these elsewhere). */
  publicServers?: readonly DnsServer[];
  timeoutMs?: number;
  tries?: number;
  signal?: AbortSignal;
}

const normalizeKey = (key: string) => key.replace(/\s+/g, '');

export async function checkDkimPublished(options: PublishGateOptions): Promise<PublishGateReport> {
  const domain = options.domain.toLowerCase().replace(/\.$/, '');
  const client = new DnsClient({ timeoutMs: options.timeoutMs ?? 2000, tries: options.tries ?? 2, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    const { authoritative } = await serversForDomain(client, domain, options);
    const problem = authoritative.length > 0 ? null : options.resolvers?.length ? checkText('gateNoChosenServer') : checkText('gateNoAuthServer', { domain });
    const selectors = await Promise.all(
      options.keys.map(async (key): Promise<SelectorVisibility> => {
        const name = `${key.selector}._domainkey.${domain}`;
        const servers = await Promise.all(
          authoritative.map(async (server): Promise<ServerAnswer> => {
            const answer = await client.query(server, name, 'TXT');
            if (answer.status === 'error') return { server: server.label, answer: checkText('gateNoAnswer', { reason: answer.code }), visible: 'unknown' };
            if (answer.status !== 'ok') return { server: server.label, answer: checkText('gateNoRecord'), visible: 'no' };
            const keys = answer.records.map((r) => parseDkimKeyRecord(joinTxt(r))).flatMap((p) => (p.ok ? [p.record.publicKey] : []));
            if (keys.includes(normalizeKey(key.publicKey))) return { server: server.label, answer: checkText('gateKeyRecord'), visible: 'yes' };
            return { server: server.label, answer: checkText(keys.length > 0 ? 'gateOtherKey' : 'gateNoKeyRecord'), visible: 'no' };
          }),
        );
        const answered = servers.filter((s) => s.visible !== 'unknown');
        const visible: Visibility = answered.length === 0 ? 'unknown' : answered.every((s) => s.visible === 'yes') ? 'yes' : 'no';
        return { selector: key.selector, name, visible, servers };
      }),
    );
    return { domain, allVisible: selectors.every((s) => s.visible === 'yes'), selectors, problem };
  } finally {
    client.close();
  }
}

/** One sentence per selector that is not visible (`serviceErrors.<key>`), for a refusal. */
export function notVisibleSentences(report: PublishGateReport): ErrorSentence[] {
  return report.selectors
    .filter((s) => s.visible !== 'yes')
    .map((s) => ({
      key: s.visible === 'unknown' ? 'selectorCannotTell' : 'selectorNotVisible',
      params: { name: s.name, servers: s.servers.filter((a) => a.visible !== 'yes').map((a) => a.server).join(', ') || '-' },
    }));
}
