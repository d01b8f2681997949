import { randomBytes } from 'node:crypto';
import { HomemailError } from '../../../shared/errors.js';
import { isSpfRecord, parseSpfTerms } from '../../../shared/records/spf.js';
import { parseIpAddress, type IpAddress } from '../../../shared/validation/ip.js';
import type { ReportMailbox } from '../../../shared/reports.js';
import { commandLine } from '../ssh/quote.js';
import type { RemoteSession } from '../ssh/types.js';
import type { PerlMailVersions } from './knownIssues.js';
import { MailboxStream, splitMbox } from './mailboxStream.js';
import {
  aliasFiles,
  dmarcRecordsFromDig,
  guessReportAliases,
  mailboxPaths,
  parseAliases,
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

export const DISCOVER_SCRIPT = `
tok=$1; domain=$2
printf '%s postconf\\n' "$tok"
postconf -h myhostname mydomain mydestination home_mailbox mail_spool_directory mailbox_command recipient_delimiter 2>/dev/null
[ -n "$domain" ] || domain=$(postconf -h mydomain 2>/dev/null)
printf '%s domain\\n%s\\n' "$tok" "$domain"
printf '%s aliases\\n' "$tok"
for f in $(postconf -h alias_maps 2>/dev/null | tr ', ' '\\n\\n' | sed -n 's/^\\(hash\\|lmdb\\|btree\\|cdb\\|dbm\\|texthash\\)://p' | sort -u); do
  [ -r "$f" ] && cat -- "$f"
done
printf '%s passwd\\n' "$tok"
cat /etc/passwd
printf '%s dmarc\\n' "$tok"
if command -v dig >/dev/null 2>&1; then dig +short +time=3 +tries=2 TXT "_dmarc.$domain" 2>/dev/null
elif command -v host >/dev/null 2>&1; then host -t TXT "_dmarc.$domain" 2>/dev/null | sed -n 's/^.* descriptive text //p'
fi
printf '%s spf\\n' "$tok"
command -v dig >/dev/null 2>&1 && dig +short +time=3 +tries=2 TXT "$domain" 2>/dev/null
printf '%s hosts\\n' "$tok"
if command -v dig >/dev/null 2>&1; then
  # MX names come from DNS: each is one quoted word, never split or globbed by the shell.
  { printf '0 %s\\n' "$domain"; dig +short +time=3 +tries=1 MX "$domain" 2>/dev/null; } | while read -r _pref h _rest; do
    [ -n "$h" ] || continue
    dig +short +time=3 +tries=1 A "$h" 2>/dev/null; dig +short +time=3 +tries=1 AAAA "$h" 2>/dev/null
  done
fi
printf '%s addrs\\n' "$tok"
hostname -I 2>/dev/null | tr ' ' '\\n'
printf '%s end\\n' "$tok"
`;

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
  const result = await session.exec(commandLine(['sh', '-c', DISCOVER_SCRIPT, 'homemail-reports', tok, options.domain ?? '']), {
    sudo: true,
    timeoutMs: 30_000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!result.stdout.includes(`${tok} end`)) {
    throw new HomemailError('command-failed', 'Could not read the mail settings of the server.', {
      hint: `Is Postfix installed? The server said: ${result.stderr.trim().slice(0, 300) || `exit ${result.code}`}`,
    });
  }
  const settings = readMailSettings(section(result.stdout, tok, 'postconf').split('\n'));
  const domain = section(result.stdout, tok, 'domain').trim().toLowerCase();
  const aliases = parseAliases(section(result.stdout, tok, 'aliases'));
  const passwd = parsePasswd(section(result.stdout, tok, 'passwd'));
  const dmarcRecord = dmarcRecordsFromDig(section(result.stdout, tok, 'dmarc'))[0] ?? null;
  const localDomains = new Set([...settings.mydestination, settings.myhostname.toLowerCase(), 'localhost']);

  const notes: string[] = [];
  let addresses: string[];
  let address: string | null;
  if (options.address !== undefined) {
    addresses = [options.address.toLowerCase()];
    address = options.address.toLowerCase();
  } else {
    const rua = dmarcRecord === null ? [] : ruaAddresses(dmarcRecord);
    addresses = rua.filter((a) => localDomains.has(a.split('@')[1] ?? ''));
    address = addresses[0] ?? null;
    if (dmarcRecord === null) notes.push(`No DMARC record found at _dmarc.${domain} through the server's resolver.`);
    for (const remote of rua.filter((a) => !addresses.includes(a))) notes.push(`Reports also go to ${remote}, which this server does not receive for.`);
    if (addresses.length === 0) {
      const guessed = guessReportAliases(aliases);
      if (guessed.length > 0) notes.push(`No local rua address; reading the alias${guessed.length === 1 ? '' : 'es'} ${guessed.join(', ')} instead.`);
      addresses = guessed.map((name) => `${name}@${domain}`);
    }
  }
  if (addresses.length === 0) {
    throw new HomemailError('not-found', `No DMARC report address delivers to this server${domain === '' ? '' : ` for ${domain}`}.`, {
      hint: 'Publish a DMARC record with rua=mailto:dmarc@YOUR-DOMAIN (homemail records --rua …), add the alias, or give the address with --address.',
    });
  }

  const users = new Set<string>();
  const paths: ReportMailbox['paths'] = [];
  for (const a of addresses) {
    const [local = '', addressDomain = ''] = a.split('@');
    if (!localDomains.has(addressDomain)) {
      notes.push(`${a} is not delivered by this server (its domain is not in mydestination).`);
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
  return { mailbox: { address, users: [...users], paths: unique, notes }, domain, dmarcRecord, ownNetworks };
}

/**
 * Streams the mailboxes: first the total it will send (so the reader can show progress), then
 * each mbox (its newest `cap` bytes, one `tail`) and each Maildir's newest files within `cap`
 * (one `awk` over many files through `xargs`, not a process per message), then the evidence
 * for the known issues.
 */
export const READ_SCRIPT = `
tok=$1; cap=$2; shift 2
lists=$(mktemp -d) || exit 1
trap 'rm -rf -- "$lists"' EXIT
total=0; n=0
for spec in "$@"; do
  n=$((n + 1))
  fmt=\${spec%%:*}; p=\${spec#*:}
  case $p in /*) ;; *) p=./$p ;; esac
  if [ "$fmt" = mbox ]; then
    [ -f "$p" ] || continue
    size=$(wc -c < "$p")
    if [ "$size" -gt "$cap" ]; then total=$((total + cap)); else total=$((total + size)); fi
  else
    [ -d "$p" ] || continue
    find "$p/new" "$p/cur" -maxdepth 1 -type f ! -name '*[[:cntrl:]]*' -printf '%T@ %s %p\\n' 2>/dev/null | sort -rn |
      awk -v cap="$cap" -v list="$lists/$n" -v sizes="$lists/$n.size" '
        { size = $2; used += size; if (used > cap) { print "truncated" > sizes; exit } sub(/^[^ ]+ [^ ]+ /, ""); print > list; kept += size }
        END { print "size " kept + 0 >> sizes }'
    s=$(sed -n 's/^size //p' "$lists/$n.size" 2>/dev/null)
    total=$((total + \${s:-0}))
  fi
done
printf '%s total %s\\n' "$tok" "$total"
n=0
for spec in "$@"; do
  n=$((n + 1))
  fmt=\${spec%%:*}; p=\${spec#*:}
  case $p in /*) ;; *) p=./$p ;; esac
  if [ "$fmt" = mbox ]; then
    [ -f "$p" ] || continue
    size=$(wc -c < "$p")
    printf '%s mbox %s %s\\n' "$tok" "$size" "$p"
    tail -c "$cap" -- "$p"
    printf '\\n'
  else
    grep -q '^truncated' "$lists/$n.size" 2>/dev/null && printf '%s truncated\\n' "$tok"
    [ -s "$lists/$n" ] || continue
    tr '\\n' '\\0' < "$lists/$n" | xargs -0 awk -v tok="$tok" 'FNR == 1 { printf "%s maildir %s\\n", tok, FILENAME } { print }'
  fi
done
printf '%s logs\\n' "$tok"
for f in /var/log/mail.log /var/log/mail.err /var/log/mail.warn /var/log/syslog; do
  [ -r "$f" ] && grep -h -F "isn't numeric in numeric ge" -- "$f" 2>/dev/null | tail -n 20
done
printf '%s versions\\n' "$tok"
command -v dpkg-query >/dev/null 2>&1 && dpkg-query -W -f='\${db:Status-Abbrev} \${Package} \${Version}\\n' spamassassin libmail-dkim-perl 2>/dev/null
printf '%s end\\n' "$tok"
`;

export interface MailboxContents {
  /** Messages handed on (to `onMessages`, or kept here when none was given). */
  messages: string[];
  messageCount: number;
  bytesRead: number;
  truncated: boolean;
  logLines: string[];
  versions: PerlMailVersions;
}

export { splitMbox };

export interface ReadMailboxOptions {
  signal?: AbortSignal | undefined;
  /** Whole messages as they arrive (else they are collected in the result). */
  onMessages?: (messages: string[]) => void;
  /** Characters received and the total the server announced. */
  onProgress?: (received: number, total: number | null) => void;
}

/** Reads the mailbox (newest mail first, at most `capBytes` per mailbox) in one round trip, streaming. */
export async function readMailbox(session: RemoteSession, mailbox: ReportMailbox, capBytes: number, options: ReadMailboxOptions = {}): Promise<MailboxContents> {
  const tok = token();
  const specs = mailbox.paths.map((p) => `${p.format}:${p.path}`);
  const collected: string[] = [];
  const stream = new MailboxStream(tok, capBytes, options.onMessages ?? ((messages) => collected.push(...messages)));
  const result = await session.exec(commandLine(['sh', '-c', READ_SCRIPT, 'homemail-reports', tok, String(capBytes), ...specs]), {
    sudo: true,
    timeoutMs: 300_000,
    onStdout: (text) => {
      stream.push(text);
      options.onProgress?.(stream.received, stream.total);
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!result.stdout.includes(`${tok} end`)) {
    throw new HomemailError('command-failed', 'Could not read the report mailbox.', { hint: result.stderr.trim().slice(0, 300) || `exit ${result.code}` });
  }
  stream.end();
  const versions: PerlMailVersions = { spamassassin: null, mailDkim: null };
  for (const line of section(result.stdout, tok, 'versions').split('\n')) {
    const [status = '', name = '', version = ''] = line.trim().split(/\s+/);
    if (!status.startsWith('i') || version === '') continue;
    if (name === 'spamassassin') versions.spamassassin = version;
    if (name === 'libmail-dkim-perl') versions.mailDkim = version;
  }
  const logLines = section(result.stdout, tok, 'logs')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return { messages: collected, messageCount: stream.messages, bytesRead: stream.bytesRead, truncated: stream.truncated, logLines, versions };
}

export const REVERSE_SCRIPT = `
for ip in "$@"; do
  (
    n=''
    if command -v dig >/dev/null 2>&1; then n=$(dig +short +time=2 +tries=1 -x "$ip" 2>/dev/null | grep '\\.$' | head -n 1); fi
    [ -n "$n" ] || n=$(getent hosts "$ip" 2>/dev/null | awk '{ print $2; exit }')
    printf 'ptr %s %s\\n' "$ip" "$n"
  ) &
done
wait
`;

/** PTR names of the addresses through the server's own resolver, in one round trip (parallel lookups). */
export async function reverseNames(session: RemoteSession, ips: readonly string[], signal?: AbortSignal): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>();
  if (ips.length === 0) return names;
  const result = await session.exec(commandLine(['sh', '-c', REVERSE_SCRIPT, 'homemail-ptr', ...ips]), {
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
