/** Where Homemail reads and writes on a Debian-family server. */
export const MAIN_CF = '/etc/postfix/main.cf';
export const MASTER_CF = '/etc/postfix/master.cf';
export const OPENDKIM_CONF = '/etc/opendkim.conf';
export const OPENDMARC_CONF = '/etc/opendmarc.conf';
export const ALIASES = '/etc/aliases';
export const KEY_DIR = '/etc/dkimkeys';
export const TABLE_DIR = '/etc/opendkim';
export const KEY_TABLE = `${TABLE_DIR}/key.table`;
export const SIGNING_TABLE = `${TABLE_DIR}/signing.table`;
export const TRUSTED_HOSTS = `${TABLE_DIR}/trusted.hosts`;
/** The relay login table (`smtp_sasl_password_maps`): root-only, 0600, built with postmap. */
export const SASL_PASSWORD_MAP = '/etc/postfix/sasl_passwd';
export const BACKUP_ROOT = '/var/backups/homemail';
/** Homemail's own state on the server (root-only): a key rotation's progress, so it can be continued from any computer. */
export const STATE_DIR = '/var/lib/homemail';
export const ROTATION_STATE = `${STATE_DIR}/rotation.json`;

export function keyPath(selector: string): string {
  return `${KEY_DIR}/${selector}.private`;
}

/** The configuration files whose bytes rollback must restore (what host tests snapshot). */
export const CONFIG_FILES = [MAIN_CF, OPENDKIM_CONF, ALIASES, KEY_TABLE, SIGNING_TABLE, TRUSTED_HOSTS] as const;
