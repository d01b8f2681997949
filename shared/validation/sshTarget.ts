import { badInput, type ErrorSentence } from '../errors.js';
import { problem } from './problem.js';

/** How a server is written; the door shows it after any refusal of the target. */
const SSH_TARGET_FORM: ErrorSentence = { key: 'sshTargetForm', params: {} };

/**
 * The one-field server address `[user@]host[:port]`, as the wizard and `--ssh` take it.
 * IPv6 literals go in brackets when a port follows: `admin@[2001:db8::1]:2222`.
 * User and port stay null when not written, so ~/.ssh/config or defaults can fill them.
 */
export interface ParsedSshTarget {
  user: string | null;
  host: string;
  port: number | null;
}

const userPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}\$?$/;
const hostLabel = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;
const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isHostname(host: string): boolean {
  if (host.length > 253) return false;
  const labels = host.endsWith('.') ? host.slice(0, -1).split('.') : host.split('.');
  return labels.length > 0 && labels.every((label) => hostLabel.test(label));
}

export function isIpv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/.test(text) || !text.includes(':')) return false;
  const [addr = ''] = text.split('%');
  const doubles = addr.split('::').length - 1;
  if (doubles > 1) return false;
  let groups = addr.split(':').filter((g, i, all) => !(g === '' && (i === 0 || i === all.length - 1 || doubles > 0)));
  const last = groups[groups.length - 1];
  let needed = 8;
  if (last !== undefined && last.includes('.')) {
    if (!ipv4Pattern.test(last)) return false;
    groups = groups.slice(0, -1);
    needed = 6;
  }
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return doubles === 1 ? groups.length < needed : groups.length === needed;
}

export function isValidSshHost(host: string): boolean {
  return ipv4Pattern.test(host) || isIpv6(host) || isHostname(host);
}

function parsePort(text: string, field: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw badInput(field, problem('sshPort', { value: text }), SSH_TARGET_FORM);
  }
  return Number(text);
}

/** Parses and checks a target; throws bad-input (exit 2) naming `field` before anything connects. */
export function parseSshTarget(input: string, field = 'ssh'): ParsedSshTarget {
  const hint = SSH_TARGET_FORM;
  const text = input;
  if (text.trim() === '') throw badInput(field, problem('sshEmpty'), hint);
  if (/[\s\0]/.test(text)) throw badInput(field, problem('sshSpaces'), hint);
  let user: string | null = null;
  let rest = text;
  const at = text.lastIndexOf('@');
  if (at !== -1) {
    user = text.slice(0, at);
    rest = text.slice(at + 1);
    if (user === '') throw badInput(field, problem('sshUserEmpty'), hint);
    if (!userPattern.test(user)) throw badInput(field, problem('sshUser', { value: user }), hint);
  }
  let host: string;
  let port: number | null = null;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) throw badInput(field, problem('sshBracket'), hint);
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw badInput(field, problem('sshAfterBracket', { value: after }), hint);
      port = parsePort(after.slice(1), field);
    }
    if (!isIpv6(host)) throw badInput(field, problem('sshNotIpv6', { value: host }), hint);
  } else if (isIpv6(rest)) {
    host = rest;
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon !== -1) {
      port = parsePort(rest.slice(colon + 1), field);
      host = rest.slice(0, colon);
    } else {
      host = rest;
    }
    if (host === '') throw badInput(field, problem('sshHostEmpty'), hint);
    if (!isValidSshHost(host)) throw badInput(field, problem('sshHost', { value: host }), hint);
  }
  return { user, host, port };
}

/** `user@host:port` back as text, bracketing IPv6. */
export function formatSshTarget(target: { user: string | null; host: string; port: number | null }): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.user === null ? '' : `${target.user}@`}${host}${target.port === null ? '' : `:${target.port}`}`;
}
