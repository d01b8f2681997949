/** Pure parsers for what Postfix prints and keeps: `postconf -n` / `postconf name…` and master.cf. */

/** `name = value` lines (postconf output) into a map; later lines win. */
export function parsePostconf(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z0-9_.-]+)\s*=\s?(.*)$/.exec(line);
    if (match?.[1] !== undefined) settings[match[1]] = (match[2] ?? '').trim();
  }
  return settings;
}

/** Postfix list values: separated by commas and/or whitespace. */
export function splitPostfixList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(/[\s,]+/).filter((item) => item !== '');
}

export interface MasterService {
  service: string;
  type: string;
  chroot: string;
  command: string;
  /** `-o name=value` overrides (also the `-o { name = value }` form). */
  overrides: Array<{ name: string; value: string }>;
  line: number;
}

/** Parses master.cf: comments dropped, continuation lines (leading whitespace) joined. */
export function parseMasterCf(text: string): MasterService[] {
  const logical: Array<{ text: string; line: number }> = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*#/.test(raw) || raw.trim() === '') return;
    const last = logical[logical.length - 1];
    if (/^\s/.test(raw) && last) last.text += ` ${raw.trim()}`;
    else logical.push({ text: raw.trim(), line: index + 1 });
  });
  return logical.flatMap(({ text: entry, line }) => {
    const fields = entry.match(/\{[^}]*\}|\S+/g) ?? [];
    if (fields.length < 8) return [];
    const [service = '', type = '', , , chroot = '', , , command = '', ...args] = fields;
    const overrides: MasterService['overrides'] = [];
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      let setting: string | undefined;
      if (arg === '-o') setting = args[(i += 1)];
      else if (arg.startsWith('-o')) setting = arg.slice(2);
      if (setting === undefined) continue;
      const body = setting.startsWith('{') ? setting.slice(1, -1).trim() : setting;
      const eq = body.indexOf('=');
      if (eq > 0) overrides.push({ name: body.slice(0, eq).trim(), value: body.slice(eq + 1).trim() });
    }
    return [{ service, type, chroot, command, overrides, line }];
  });
}

/**
 * Whether smtpd runs chrooted: the chroot column of the `smtp inet … smtpd` service. `-`
 * means the built-in default, which is "n" since Postfix 3.0 (Debian ships "y" explicitly).
 */
export function smtpdChroot(services: readonly MasterService[]): boolean | null {
  const smtp = services.find((s) => s.type === 'inet' && s.command === 'smtpd' && /(^|:)smtp$/.test(s.service));
  if (!smtp) return null;
  return smtp.chroot === 'y';
}

/** Domains of reject_rbl_client / reject_rhsbl_* entries and postscreen_dnsbl_sites, verbatim. */
export function rblEntries(settings: Record<string, string>): string[] {
  const found: string[] = [];
  const add = (entry: string | undefined) => {
    if (entry && !found.includes(entry)) found.push(entry);
  };
  for (const [name, value] of Object.entries(settings)) {
    const items = splitPostfixList(value);
    if (name === 'postscreen_dnsbl_sites') items.forEach(add);
    if (!name.startsWith('smtpd_') || !name.endsWith('_restrictions')) continue;
    items.forEach((item, index) => {
      if (/^reject_(rbl_client|rhsbl_\w+)$/.test(item)) add(items[index + 1]);
    });
  }
  return found;
}
