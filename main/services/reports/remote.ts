import { randomBytes } from 'node:crypto';
import { keyedError } from '../../../shared/errors.js';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';
import { isSpfRecord, parseSpfTerms } from '../../../shared/records/spf.js';
import { parseIpAddress, type IpAddress } from '../../../shared/validation/ip.js';
import type { ReportMailbox } from '../../../shared/reports.js';
import { readAliases } from '../../server/config/aliases.js';
import { reportsDiscoverScript, reportsPtrScript, reportsReadScript } from '../../server/scripts/index.js';
import { commandLine } from '../ssh/quote.js';
import { commandFailure } from '../ssh/commandFailure.js';
import type { RemoteSession } from '../ssh/types.js';
import type { PerlMailVersions } from './knownIssues.js';
import { MailboxStream, splitMbox, type MessageSink } from './mailboxStream.js';
import { reportSentence } from './sentences.js';
import { encodeSeenList, type MessageKey } from './seenList.js';
import {
  aliasFiles,
  dmarcRecordsFromDig,
  guessReportAliases,
  mailboxPaths,
  parsePasswd,
  readMailSettings,
  resolveLocalPart,
  ruaAddresses,
  txtValuesFromDig,
} from './mailbox.js';

/**
 * The report reader's three round trips: (1) mail settings, aliases, users and the domain's
 * DMARC record; (2) the mailbox contents plus the known-issue evidence; (3) reverse names of
 * the sources. Every value reaches the shell as a quoted argv word of a fixed script.
 */

function section(text: string, token: string, name: string): string {
  const start = text.indexOf(`${token} ${name}\n`);
  if (start === -1) return '';
  const from = start + token.length + name.length + 2;
  const next = text.indexOf(`${token} `, from);
  return text.slice(from, next === -1 ? undefined : next);
}

function token(): string {
  return `HOMEMAIL-${randomBytes(12).toString('hex')}`;
}

export interface DiscoverOptions {
  /** The report address; when absent, the rua of the domain's DMARC record. */
  address?: string | undefined;
  /** The mail domain; when absent, Postfix's mydomain. */
  domain?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface Discovery {
  mailbox: ReportMailbox;
  domain: string;
  /** The domain's published DMARC record, as the server's resolver sees it. */
  dmarcRecord: string | null;
  /** The server's addresses, the SPF record's ip4/ip6 networks, and (when SPF names a/mx) those hosts' addresses. */
  ownNetworks: IpAddress[];
}

/** Own networks from the server's addresses, the domain's SPF record and its A/MX hosts' addresses. */
export function ownNetworksFrom(spfTxt: string, hostAddresses: readonly string[], serverAddresses: readonly string[]): IpAddress[] {
  const spf = txtValuesFromDig(spfTxt).find((v) => isSpfRecord(v)) ?? null;
  const out: IpAddress[] = [];
  const add = (text: string, allowPrefix: boolean) => {
    const parsed = parseIpAddress(text.trim(), { allowPrefix });
    if (parsed.ok && !out.some((o) => o.address === parsed.value.address && o.prefix === parsed.value.prefix)) out.push(parsed.value);
  };
  for (const a of serverAddresses) add(a, false);
  if (spf !== null) {
    const terms = parseSpfTerms(spf);
    for (const term of terms) {
      if (term.qualifier === '+' && (term.name === 'ip4' || term.name === 'ip6')) add(term.argument, true);
    }
    if (terms.some((t) => t.qualifier === '+' && (t.name === 'a' || t.name === 'mx') && t.argument === '')) for (const a of hostAddresses) add(a, false);
  }
  return out;
}

/** Finds the report mailbox in one round trip. */
export async function discoverMailbox(session: RemoteSession, options: DiscoverOptions = {}): Promise<Discovery> {
  const tok = token();
  const result = await session.exec(commandLine(['sh', '-c', reportsDiscoverScript, 'homemail-reports', tok, options.domain ?? '']), {
    sudo: true,
    timeoutMs: 30_000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!result.stdout.includes(`${tok} end`)) {
    // What the server said stays its own words, quoted as technical output.
    throw keyedError('command-failed', { key: 'mailSettingsUnreadable', params: {} }, { hint: { key: 'isPostfixInstalled', params: {} }, ...commandFailure(result) });
  }
  const settings = readMailSettings(section(result.stdout, tok, 'postconf').split('\n'));
  const domain = section(result.stdout, tok, 'domain').trim().toLowerCase();
  const aliases = readAliases(section(result.stdout, tok, 'aliases'));
  const passwd = parsePasswd(section(result.stdout, tok, 'passwd'));
  const dmarcRecord = dmarcRecordsFromDig(section(result.stdout, tok, 'dmarc'))[0] ?? null;
  const localDomains = new Set([...settings.mydestination, settings.myhostname.toLowerCase(), 'localhost']);

  const notes: KeyedText[] = [];
  let addresses: string[];
  let address: string | null;
  if (options.address !== undefined) {
    addresses = [options.address.toLowerCase()];
    address = options.address.toLowerCase();
  } else {
    const rua = dmarcRecord === null ? [] : ruaAddresses(dmarcRecord);
    addresses = rua.filter((a) => localDomains.has(a.split('@')[1] ?? ''));
    address = addresses[0] ?? null;
    if (dmarcRecord === null) notes.push(reportSentence('noDmarcRecord', { domain }));
    for (const remote of rua.filter((a) => !addresses.includes(a))) notes.push(reportSentence('remoteRua', { address: remote }));
    if (addresses.length === 0) {
      const guessed = guessReportAliases(aliases);
      if (guessed.length > 0) notes.push(reportSentence('guessedAliases', { aliases: guessed.join(', ') }));
      addresses = guessed.map((name) => `${name}@${domain}`);
    }
  }
  const remoteRua = options.address === undefined && dmarcRecord !== null ? ruaAddresses(dmarcRecord) : [];
  if (addresses.length === 0 && remoteRua.length > 0 && domain !== '') {
    // The reports go to another service (a third party): say where, and how to add an address here without dropping it.
    throw keyedError('not-found', { key: 'reportsGoElsewhere', params: { domain, addresses: remoteRua.join(', ') } }, {
      hint: { key: 'addLocalRua', params: { rua: remoteRua.map((a) => `mailto:${a}`).join(','), domain, field: 'address' } },
    });
  }
  if (addresses.length === 0) {
    throw keyedError('not-found', domain === '' ? { key: 'noReportAddress', params: {} } : { key: 'noReportAddressFor', params: { domain } }, {
      hint: { key: 'reportAddress', params: { field: 'address' } },
    });
  }

  const users = new Set<string>();
  const paths: ReportMailbox['paths'] = [];
  for (const a of addresses) {
    const [local = '', addressDomain = ''] = a.split('@');
    if (!localDomains.has(addressDomain)) {
      notes.push(reportSentence('notLocal', { address: a }));
      continue;
    }
    const resolved = resolveLocalPart(local, aliases, settings);
    notes.push(...resolved.notes);
    for (const file of aliasFiles(local, aliases)) paths.push({ path: file, format: 'mbox' });
    for (const user of resolved.users) users.add(user);
  }
  for (const user of users) {
    const found = mailboxPaths(user, passwd, settings);
    paths.push(...found.paths);
    notes.push(...found.notes);
  }
  const unique = paths.filter((p, i) => paths.findIndex((q) => q.path === p.path) === i);
  const ownNetworks = ownNetworksFrom(
    section(result.stdout, tok, 'spf'),
    section(result.stdout, tok, 'hosts').split('\n'),
    section(result.stdout, tok, 'addrs').split('\n'),
  );
  return { mailbox: { address, users: [...users], paths: unique, notes: notes.map((note) => note.text), keyedNotes: notes }, domain, dmarcRecord, ownNetworks };
}

export interface MailboxContents {
  /** Messages handed on (to `onMessages`, or kept here when none was given). */
  messages: string[];
  messageCount: number;
  bytesRead: number;
  truncated: boolean;
  logLines: string[];
  versions: PerlMailVersions;
  /** Reading only new mail: the key of each message sent, and how many the server left out as already read. */
  newKeys: MessageKey[];
  alreadyRead: number;
}

export { splitMbox };

export interface ReadMailboxOptions {
  signal?: AbortSignal | undefined;
  /** Whole messages as they arrive (else they are collected in the result). */
  onMessages?: (messages: string[]) => void;
  /** Messages piece by piece as they arrive, never held whole (instead of `onMessages`). */
  messageSink?: MessageSink;
  /** After each piece of output: a promise to wait on before the next is read (the server waits meanwhile), or null. */
  pace?: () => Promise<void> | null;
  /** Characters received and the total the server announced. */
  onProgress?: (received: number, total: number | null) => void;
  /** Read only new mail: these messages (already read) are not sent, and each message sent comes with its key. */
  seen?: readonly MessageKey[] | undefined;
}

/**
 * Reads the mailbox (newest mail first, at most `capBytes` per mailbox) in one round trip,
 * streaming; with `seen`, only the messages not in it travel (never deleting anything).
 */
export async function readMailbox(session: RemoteSession, mailbox: ReportMailbox, capBytes: number, options: ReadMailboxOptions = {}): Promise<MailboxContents> {
  const tok = token();
  const specs = mailbox.paths.map((p) => `${p.format}:${p.path}`);
  const collected: string[] = [];
  const stream = new MailboxStream(tok, capBytes, options.messageSink ?? options.onMessages ?? ((messages) => collected.push(...messages)));
  const mode = options.seen === undefined ? 'all' : 'new';
  // The output is never held whole: each piece goes through the stream (messages handed on as
  // they come), only the short sections after the mail are kept.
  const result = await session.execStream(commandLine(['sh', '-c', reportsReadScript, 'homemail-reports', tok, String(capBytes), mode, ...specs]), {
    sudo: true,
    ...(options.seen === undefined ? {} : { stdin: encodeSeenList(options.seen) }),
    timeoutMs: 300_000,
    onStdout: (text) => {
      stream.push(text);
      options.onProgress?.(stream.received, stream.total);
      return options.pace?.() ?? undefined;
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!stream.tail.includes(`${tok} end`)) {
    throw keyedError('command-failed', { key: 'reportMailboxUnreadable', params: {} }, commandFailure(result));
  }
  stream.end();
  const versions: PerlMailVersions = { spamassassin: null, mailDkim: null };
  for (const line of section(stream.tail, tok, 'versions').split('\n')) {
    const [status = '', name = '', version = ''] = line.trim().split(/\s+/);
    if (!status.startsWith('i') || version === '') continue;
    if (name === 'spamassassin') versions.spamassassin = version;
    if (name === 'libmail-dkim-perl') versions.mailDkim = version;
  }
  const logLines = section(stream.tail, tok, 'logs')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return {
    messages: collected,
    messageCount: stream.messages,
    bytesRead: stream.bytesRead,
    truncated: stream.truncated,
    logLines,
    versions,
    newKeys: stream.newKeys,
    alreadyRead: stream.alreadyRead,
  };
}

/** PTR names of the addresses through the server's own resolver, in one round trip (parallel lookups). */
export async function reverseNames(session: RemoteSession, ips: readonly string[], signal?: AbortSignal): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>();
  if (ips.length === 0) return names;
  const result = await session.exec(commandLine(['sh', '-c', reportsPtrScript, 'homemail-ptr', ...ips]), {
    timeoutMs: 30_000,
    ...(signal === undefined ? {} : { signal }),
  });
  for (const line of result.stdout.split('\n')) {
    const [tag, ip, name] = line.trim().split(/\s+/);
    if (tag !== 'ptr' || ip === undefined) continue;
    names.set(ip, name === undefined || name === '' ? null : name.replace(/\.$/, '').toLowerCase());
  }
  return names;
}
