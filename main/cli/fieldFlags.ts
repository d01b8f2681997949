import { own } from '../../shared/dictionary.js';

/**
 * How the CLI names a field a service points at (`field` in a sentence's params or in an
 * error's details): its option. The wizard names the same field by its label instead.
 */
const flags: Readonly<Record<string, string>> = {
  identity: '-i FILE',
  target: '--ssh [user@]host[:port]',
  ssh: '--ssh [user@]host[:port]',
  password: '--password-stdin',
  passphrase: '--password-stdin',
  'password-stdin': '--password-stdin',
  resolver: '--resolver ADDR[:PORT]',
  ip: '--ip ADDR',
  to: '--to ADDR',
  dkim: '--dkim SELECTOR:FILE',
  selector: '--selector SELECTOR',
  'known-hosts': '--known-hosts FILE',
  out: '--out DIR',
  // steps of another command a hint sends the person to (the wizard names its page or button)
  apply: 'homemail apply',
  rollback: 'homemail rollback --backup ID',
  'backup-list': 'homemail rollback --list',
  'rotate-start': 'homemail rotate start',
  'rotate-continue': 'homemail rotate continue',
  'rotate-status': 'homemail rotate status',
  'rotate-switch': 'homemail rotate continue --step switch',
  'rotate-undo': 'homemail rotate undo',
};

export function fieldFlag(field: string): string {
  return own(flags, field) ?? `--${field}`;
}
