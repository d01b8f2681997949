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
  'known-hosts': '--known-hosts FILE',
};

export function fieldFlag(field: string): string {
  return own(flags, field) ?? `--${field}`;
}
