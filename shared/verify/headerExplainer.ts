/**
 * Explains a received message's authentication headers (Gmail's "Show original", for
 * example) in plain words: Authentication-Results (RFC 8601), ARC (RFC 8617), DKIM-Signature
 * (RFC 6376) and Received-SPF (RFC 7208 §9.1). Pure: the wizard runs it offline.
 */
import { checkText, type CheckStatus, type CheckText } from '../checks.js';
import type { CheckMessageKey } from '../checks.js';
import { parseTagList } from './tags.js';
import { dictionary, own } from '../dictionary.js';

export interface ExplainedHeader {
  /** The header the line explains, as named in the message. */
  header: string;
  status: CheckStatus;
  /** What it says. */
  text: CheckText;
  /** What that means. */
  meaning: CheckText | null;
}

export interface HeaderExplanation {
  items: ExplainedHeader[];
  /** The verdict of the first (topmost, so the final receiver's) Authentication-Results. */
  verdict: { server: string; dkim: string | null; spf: string | null; dmarc: string | null } | null;
}

export interface HeaderField {
  name: string;
  value: string;
}

/** The header block (up to the first empty line), unfolded into fields in order. */
export function parseHeaderFields(raw: string): HeaderField[] {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const fields: HeaderField[] = [];
  for (const line of lines) {
    if (line.trim() === '' && fields.length > 0) break;
    if (/^[ \t]/.test(line) && fields.length > 0) {
      const last = fields[fields.length - 1];
      if (last) last.value += ` ${line.trim()}`;
      continue;
    }
    const match = /^([!-9;-~]+):\s?(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) fields.push({ name: match[1], value: match[2].trim() });
  }
  return fields;
}

/** Splits on a separator outside quoted strings and (comments). */
function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + (text[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (ch === '"' && depth === 0) quoted = !quoted;
    else if (!quoted && ch === '(') depth += 1;
    else if (!quoted && ch === ')' && depth > 0) depth -= 1;
    if (ch === separator && depth === 0 && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function stripComments(text: string): { bare: string; comments: string[] } {
  const comments: string[] = [];
  let bare = '';
  let depth = 0;
  let comment = '';
  for (const ch of text) {
    if (ch === '(') {
      if (depth > 0) comment += ch;
      depth += 1;
    } else if (ch === ')' && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        comments.push(comment.trim());
        comment = '';
        bare += ' ';
      } else comment += ch;
    } else if (depth > 0) comment += ch;
    else bare += ch;
  }
  return { bare: bare.replace(/\s+/g, ' ').trim(), comments };
}

export interface AuthResult {
  method: string;
  result: string;
  /** `header.d`, `smtp.mailfrom`, … (lower-case names). */
  props: Record<string, string>;
  comments: string[];
}

export interface AuthenticationResults {
  server: string;
  results: AuthResult[];
}

/** Authentication-Results (or ARC-Authentication-Results without its `i=N;`). */
export function parseAuthenticationResults(value: string): AuthenticationResults {
  const parts = splitOutside(value, ';');
  const server = stripComments(parts[0] ?? '').bare.split(' ')[0] ?? '';
  const results: AuthResult[] = [];
  for (const part of parts.slice(1)) {
    const { bare, comments } = stripComments(part);
    const [head, ...rest] = bare.split(' ');
    const match = /^([A-Za-z0-9_-]+)(?:\/[0-9]+)?=([A-Za-z0-9_-]+)$/.exec(head ?? '');
    if (!match?.[1] || !match[2]) continue;
    const props = dictionary<string>();
    for (const word of rest) {
      const prop = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)=(.*)$/.exec(word);
      if (prop?.[1] && prop[2] !== undefined) props[prop[1].toLowerCase()] = prop[2].replace(/^"(.*)"$/, '$1');
    }
    results.push({ method: match[1].toLowerCase(), result: match[2].toLowerCase(), props, comments });
  }
  return { server, results };
}

export function statusOfResult(result: string): CheckStatus {
  if (result === 'pass') return 'pass';
  if (result === 'fail' || result === 'permerror' || result === 'hardfail') return 'fail';
  if (result === 'softfail' || result === 'neutral' || result === 'policy') return 'warn';
  return 'unknown';
}

function domainOf(value: string | undefined): string {
  if (!value) return '?';
  const at = value.lastIndexOf('@');
  return at >= 0 ? value.slice(at + 1) : value;
}

function meaningKey(method: 'dkim' | 'spf' | 'dmarc' | 'arc', result: string): CheckMessageKey {
  const table: Record<string, Partial<Record<string, CheckMessageKey>>> = {
    dkim: { pass: 'meaningDkimPass', fail: 'meaningDkimFail', none: 'meaningDkimNone' },
    spf: { pass: 'meaningSpfPass', fail: 'meaningSpfFail', softfail: 'meaningSpfSoftfail', none: 'meaningSpfNone' },
    dmarc: { pass: 'meaningDmarcPass', fail: 'meaningDmarcFail', none: 'meaningDmarcNone' },
    arc: { pass: 'meaningArcPass' },
  };
  const other: Record<string, CheckMessageKey> = { dkim: 'meaningDkimOther', spf: 'meaningSpfOther', dmarc: 'meaningDmarcOther', arc: 'meaningArcOther' };
  const byResult = own(table, method);
  return (byResult ? own(byResult, result) : undefined) ?? own(other, method) ?? 'meaningArcOther';
}

function explainResult(header: string, server: string, r: AuthResult): ExplainedHeader {
  const status = statusOfResult(r.result);
  const result = r.result;
  switch (r.method) {
    case 'dkim': {
      const domain = r.props['header.d'] ?? domainOf(r.props['header.i']);
      const selector = r.props['header.s'] ?? '?';
      return { header, status, text: checkText('explainDkim', { result, domain, selector, server }), meaning: checkText(meaningKey('dkim', result)) };
    }
    case 'spf': {
      const domain = domainOf(r.props['smtp.mailfrom'] ?? r.props['smtp.helo']);
      const ip = /(?:designates|not designate|address)\s+([0-9a-fA-F.:]+)/.exec(r.comments.join(' '))?.[1] ?? r.props['smtp.remote-ip'] ?? '?';
      return { header, status, text: checkText('explainSpf', { result, domain, ip, server }), meaning: checkText(meaningKey('spf', result)) };
    }
    case 'dmarc': {
      const domain = r.props['header.from'] ?? '?';
      const policy = /\bp=([A-Za-z]+)/.exec(r.comments.join(' '))?.[1]?.toLowerCase() ?? r.props['policy.published-domain-policy'] ?? '?';
      return { header, status, text: checkText('explainDmarc', { result, domain, policy, server }), meaning: checkText(meaningKey('dmarc', result)) };
    }
    case 'arc':
      return { header, status, text: checkText('explainArc', { result, server }), meaning: checkText(meaningKey('arc', result)) };
    default:
      return { header, status, text: checkText('explainOther', { method: r.method, result, server }), meaning: null };
  }
}

/** Explains every authentication header of a message, topmost (latest) first. */
export function explainHeaders(raw: string): HeaderExplanation {
  const items: ExplainedHeader[] = [];
  let verdict: HeaderExplanation['verdict'] = null;
  for (const field of parseHeaderFields(raw)) {
    const name = field.name.toLowerCase();
    if (name === 'authentication-results' || name === 'arc-authentication-results') {
      const value = name === 'arc-authentication-results' ? field.value.replace(/^\s*i\s*=\s*\d+\s*;/, '') : field.value;
      const parsed = parseAuthenticationResults(value);
      if (name === 'authentication-results' && verdict === null) {
        const pick = (method: string) => parsed.results.find((r) => r.method === method)?.result ?? null;
        verdict = { server: parsed.server, dkim: pick('dkim'), spf: pick('spf'), dmarc: pick('dmarc') };
      }
      for (const result of parsed.results) items.push(explainResult(field.name, parsed.server, result));
    } else if (name === 'dkim-signature') {
      const tags = parseTagList(field.value.replace(/\s+/g, ' '));
      const get = (tag: string) => (tags.ok ? (tags.tags.get(tag) ?? '?') : '?');
      const domain = get('d');
      const selector = get('s');
      const headers = get('h').replace(/\s+/g, '').split(':').join(', ');
      items.push({
        header: field.name,
        status: 'unknown',
        text: checkText('explainDkimSignature', { domain, selector, algorithm: get('a'), headers }),
        meaning: checkText('meaningDkimSignature', { domain, selector }),
      });
    } else if (name === 'received-spf') {
      const { bare } = stripComments(field.value);
      const result = (bare.split(/[\s;]/)[0] ?? '').toLowerCase();
      const key = (k: string) => new RegExp(`\\b${k}=("?)([^";\\s]+)\\1`, 'i').exec(bare)?.[2] ?? '?';
      items.push({
        header: field.name,
        status: statusOfResult(result),
        text: checkText('explainReceivedSpf', { result, ip: key('client-ip'), sender: key('envelope-from') }),
        meaning: checkText(meaningKey('spf', result)),
      });
    } else if (name === 'arc-seal') {
      const tags = parseTagList(field.value.replace(/\s+/g, ' '));
      const get = (tag: string) => (tags.ok ? (tags.tags.get(tag) ?? '?') : '?');
      const cv = get('cv').toLowerCase();
      items.push({
        header: field.name,
        status: cv === 'fail' ? 'fail' : 'unknown',
        text: checkText('explainArcSeal', { instance: get('i'), cv, domain: get('d') }),
        meaning: checkText('meaningArcOther'),
      });
    }
  }
  if (items.length === 0) items.push({ header: '', status: 'unknown', text: checkText('explainNothing'), meaning: null });
  return { items, verdict };
}
