/**
 * Postfix master.cf as master(8) reads it: Postfix's logical lines (logicalLines.ts: `#`
 * lines and blank lines ignored, a line starting with whitespace continues the previous
 * one), eight fields then the command's arguments.
 */
import { readLogicalLines } from './logicalLines.js';

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
  const logical = readLogicalLines(text);
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
