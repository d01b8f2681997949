/**
 * Postfix milter lists (`smtpd_milters`, `non_smtpd_milters`): split as Postfix does
 * (commas and whitespace separate; `{ … }` groups one milter with its settings), compared by
 * the endpoint they reach, and merged so OpenDKIM is added once, before OpenDMARC, with every
 * other milter kept in its place.
 */
import { splitPostfixList } from './mainCf.js';

/** The endpoint of one milter entry (`{ inet:h:p, settings }` → `inet:h:p`). */
export function milterEndpoint(item: string): string {
  const trimmed = item.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  const inner = trimmed.replace(/^\{/, '').replace(/\}$/, '').trim();
  return inner.split(/[\s,]+/)[0] ?? '';
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[127.0.0.1]', '::1', '[::1]', 'localhost.localdomain']);

/** A comparable form of an endpoint: loopback names unified, `local:` read as `unix:`. */
export function normalizeMilter(endpoint: string): string {
  const e = milterEndpoint(endpoint);
  const inet = /^inet6?:(.*):(\d+)$/i.exec(e);
  if (inet) {
    const host = (inet[1] ?? '').toLowerCase();
    return `inet:${LOOPBACK.has(host) ? 'loopback' : host}:${inet[2]}`;
  }
  const unix = /^(?:unix|local):(.*)$/i.exec(e);
  if (unix) return `unix:${unix[1]}`;
  return e;
}

export function sameMilter(a: string, b: string): boolean {
  return normalizeMilter(a) === normalizeMilter(b);
}

export interface MergeMiltersInput {
  /** The current value (empty when unset). */
  current: string;
  /** The OpenDKIM endpoint as Postfix names it. */
  opendkim: string;
  /** Endpoints that an earlier OpenDKIM socket used (replaced in place, not duplicated). */
  formerOpendkim?: readonly string[];
  /** OpenDMARC endpoints: OpenDKIM goes before the first of them. */
  opendmarc?: readonly string[];
}

/**
 * The new list value, or the current one unchanged when OpenDKIM is already listed once,
 * before OpenDMARC. Other entries (including `$parameter` references) keep their order.
 */
export function mergeMilters(input: MergeMiltersInput): string {
  const items = splitPostfixList(input.current);
  const isDkim = (item: string) => sameMilter(item, input.opendkim) || (input.formerOpendkim ?? []).some((f) => sameMilter(item, f));
  const isDmarc = (item: string) => (input.opendmarc ?? []).some((d) => sameMilter(item, d));
  const firstDkim = items.findIndex(isDkim);
  const firstDmarc = items.findIndex(isDmarc);
  const dkimCount = items.filter(isDkim).length;
  const alreadyRight =
    dkimCount === 1 &&
    firstDkim >= 0 &&
    sameMilter(items[firstDkim] as string, input.opendkim) &&
    (firstDmarc < 0 || firstDkim < firstDmarc);
  if (alreadyRight) return input.current.trim();
  const kept = items.filter((item) => !isDkim(item));
  // Keep a `{ … }` group's settings when the existing entry already pointed at this endpoint.
  const existing = items.find((item) => sameMilter(item, input.opendkim) && item.trim().startsWith('{'));
  const entry = existing ?? input.opendkim;
  const dmarcAt = kept.findIndex(isDmarc);
  if (dmarcAt >= 0) kept.splice(dmarcAt, 0, entry);
  else kept.push(entry);
  return kept.join(', ');
}
