import type { KeyedText } from '../../../shared/i18n/keyedText.js';
import type { ReportMailbox } from '../../../shared/reports.js';
import { reportSentence } from './sentences.js';

/**
 * Where the DMARC report address delivers on the server: the rua address of the domain's
 * DMARC record (or an alias that looks like a report address), through /etc/aliases to local
 * users, then to each user's mbox or Maildir as Postfix's local(8) would deliver it.
 */

export interface MailSettings {
  myhostname: string;
  mydomain: string;
  mydestination: string[];
  homeMailbox: string;
  mailSpoolDirectory: string;
  mailboxCommand: string;
  recipientDelimiter: string;
}

/** postconf -h values (in this order) → settings, `$myhostname`/`$mydomain` expanded in mydestination. */
export function readMailSettings(values: readonly string[]): MailSettings {
  const [myhostname = '', mydomain = '', mydestination = '', homeMailbox = '', spool = '', mailboxCommand = '', delimiter = ''] = values.map((v) => v.trim());
  const expand = (text: string) =>
    text
      .replaceAll('${myhostname}', myhostname)
      .replaceAll('$myhostname', myhostname)
      .replaceAll('${mydomain}', mydomain)
      .replaceAll('$mydomain', mydomain);
  return {
    myhostname,
    mydomain,
    mydestination: expand(mydestination)
      .split(/[\s,]+/)
      .map((d) => d.toLowerCase())
      .filter((d) => d !== '' && !d.includes(':') && !d.startsWith('/')),
    homeMailbox,
    mailSpoolDirectory: spool === '' ? '/var/mail' : spool,
    mailboxCommand,
    recipientDelimiter: delimiter,
  };
}

/** `rua=mailto:a@b!10m,mailto:c@d` of a DMARC record → the addresses. */
export function ruaAddresses(record: string): string[] {
  const tag = record
    .split(';')
    .map((t) => t.trim())
    .find((t) => /^rua\s*=/i.test(t));
  if (!tag) return [];
  return tag
    .replace(/^rua\s*=\s*/i, '')
    .split(',')
    .map((uri) => uri.trim())
    .filter((uri) => /^mailto:/i.test(uri))
    .map((uri) => {
      const address = uri.slice('mailto:'.length).replace(/![0-9]+[kmgt]?$/i, '');
      try {
        return decodeURIComponent(address).toLowerCase();
      } catch {
        return address.toLowerCase();
      }
    })
    .filter((a) => /^[^@\s]+@[^@\s]+$/.test(a));
}

/** Each `dig +short TXT` line (`"v=DMARC1; " "p=none"`) with its strings joined. */
export function txtValuesFromDig(output: string): string[] {
  return output
    .split('\n')
    .map((line) => [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1')).join(''))
    .filter((value) => value !== '');
}

/** The DMARC records among `dig +short TXT` lines. */
export function dmarcRecordsFromDig(output: string): string[] {
  return txtValuesFromDig(output).filter((value) => /^v=DMARC1(\s*;|\s*$)/i.test(value));
}

export interface PasswdEntry {
  user: string;
  home: string;
}

export function parsePasswd(text: string): Map<string, PasswdEntry> {
  const users = new Map<string, PasswdEntry>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 7 || fields[0] === undefined || fields[0] === '') continue;
    users.set(fields[0], { user: fields[0], home: fields[5] ?? '' });
  }
  return users;
}

export interface Resolution {
  users: string[];
  /** Codes under `reports.note.` with params. */
  notes: KeyedText[];
}

/**
 * Follows /etc/aliases from a local part to local users, as local(8) does (case-insensitive,
 * `\user` stops expansion, a name that aliases itself is a user), noting targets that are
 * not mailboxes (pipes, files, includes, remote addresses).
 */
export function resolveLocalPart(localPart: string, aliases: ReadonlyMap<string, readonly string[]>, settings: MailSettings, depth = 0, seen = new Set<string>()): Resolution {
  const users: string[] = [];
  const notes: KeyedText[] = [];
  let name = localPart.toLowerCase();
  if (!aliases.has(name) && settings.recipientDelimiter !== '') {
    const cut = [...settings.recipientDelimiter].map((d) => name.indexOf(d)).filter((i) => i > 0);
    if (cut.length > 0) name = name.slice(0, Math.min(...cut));
  }
  const targets = aliases.get(name);
  if (targets === undefined || seen.has(name) || depth > 10) {
    users.push(name);
    return { users, notes };
  }
  seen.add(name);
  for (const target of targets) {
    const t = target.replace(/^"|"$/g, '');
    if (t.startsWith('|')) notes.push(reportSentence('aliasPiped', { name, command: t.slice(0, 80) }));
    else if (t.startsWith('/')) notes.push(reportSentence('aliasFile', { name, file: t }));
    else if (t.toLowerCase().startsWith(':include:')) notes.push(reportSentence('aliasInclude', { name, file: t.slice(9) }));
    else if (t.startsWith('\\')) users.push(t.slice(1).toLowerCase());
    else if (t.includes('@')) {
      const [local = '', domain = ''] = t.toLowerCase().split('@');
      if (settings.mydestination.includes(domain)) {
        const inner = resolveLocalPart(local, aliases, settings, depth + 1, seen);
        users.push(...inner.users);
        notes.push(...inner.notes);
      } else {
        notes.push(reportSentence('aliasForwarded', { name, address: t }));
      }
    } else if (t.toLowerCase() === name) users.push(name);
    else {
      const inner = resolveLocalPart(t, aliases, settings, depth + 1, seen);
      users.push(...inner.users);
      notes.push(...inner.notes);
    }
  }
  return { users: [...new Set(users)], notes };
}

/** Files written directly by an alias (`/path`): local(8) appends mbox format to them. */
export function aliasFiles(localPart: string, aliases: ReadonlyMap<string, readonly string[]>): string[] {
  return (aliases.get(localPart.toLowerCase()) ?? []).map((t) => t.replace(/^"|"$/g, '')).filter((t) => t.startsWith('/'));
}

/** Where local(8) puts a user's mail, given home_mailbox / mail_spool_directory. */
export function mailboxPaths(user: string, passwd: ReadonlyMap<string, PasswdEntry>, settings: MailSettings): { paths: ReportMailbox['paths']; notes: KeyedText[] } {
  const notes: KeyedText[] = [];
  const entry = passwd.get(user);
  if (!entry) return { paths: [], notes: [reportSentence('notAUser', { user })] };
  if (settings.mailboxCommand !== '') {
    notes.push(reportSentence('mailboxCommand', { command: settings.mailboxCommand.slice(0, 80), home: entry.home }));
    return {
      paths: [
        { path: `${entry.home}/Maildir`, format: 'maildir' },
        { path: `${settings.mailSpoolDirectory.replace(/\/$/, '')}/${user}`, format: 'mbox' },
      ],
      notes,
    };
  }
  if (settings.homeMailbox !== '') {
    const relative = settings.homeMailbox;
    return { paths: [{ path: `${entry.home}/${relative.replace(/\/$/, '')}`, format: relative.endsWith('/') ? 'maildir' : 'mbox' }], notes };
  }
  return { paths: [{ path: `${settings.mailSpoolDirectory.replace(/\/$/, '')}/${user}`, format: 'mbox' }], notes };
}

const reportAliasName = /^(dmarc|rua|dmarc[-_.]?reports?|reports?[-_.]?a(ggregate)?|dmarc[-_.]?rua)$/i;

/** Alias names that look like a DMARC aggregate report address (when DNS names none). */
export function guessReportAliases(aliases: ReadonlyMap<string, readonly string[]>): string[] {
  return [...aliases.keys()].filter((name) => reportAliasName.test(name));
}
