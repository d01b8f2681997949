/**
 * What an SPF record costs a receiver (RFC 7208 §4.6.4): the DNS-querying terms of the record
 * and of every record its include: and redirect= pull in, and the "void" lookups among them
 * (no records at all). Pure: the answers come from a lookup done beforehand
 * (main/services/verify/published.ts follows the same queries through DNS).
 */
import { isSpfLookupTerm, isSpfRecord, parseSpfTerms, type SpfTerm } from './spf.js';
import type { SpfLookupAnswers } from './types.js';

/** How far includes are followed: RFC 7208's own limit of 10 lookups stops any receiver before. */
const MAX_DEPTH = 10;

export interface SpfQuery {
  /** Lower case, no trailing dot. */
  name: string;
  type: 'TXT' | 'A' | 'AAAA' | 'MX';
}

export const spfAnswerKey = (query: SpfQuery): string => `${query.type} ${query.name}`;

/** A term's target domain (its own, or the record's owner), or null when it holds a macro or is ptr. */
export function spfTermTarget(term: SpfTerm, owner: string): string | null {
  if (term.name === 'ptr') return null;
  const argument = term.argument.startsWith('/') ? '' : (term.argument.split('/')[0] ?? '');
  const target = (argument === '' ? owner : argument).toLowerCase().replace(/\.$/, '');
  return target === '' || target.includes('%') ? null : target;
}

/** The queries a receiver makes for this record's own lookup terms (an IPv4 sender: A for a/exists). */
export function spfQueriesOf(value: string, owner: string): SpfQuery[] {
  const queries: SpfQuery[] = [];
  for (const term of parseSpfTerms(value).filter(isSpfLookupTerm)) {
    const target = spfTermTarget(term, owner);
    if (target === null) continue;
    if (term.name === 'include' || term.name === 'redirect') queries.push({ name: target, type: 'TXT' });
    else if (term.name === 'mx') queries.push({ name: target, type: 'MX' });
    else queries.push({ name: target, type: 'A' });
  }
  return queries;
}

/** The one SPF record among TXT values, or null (none, or several: a permerror). */
export function singleSpf(values: readonly string[]): string | null {
  const spf = values.filter(isSpfRecord);
  return spf.length === 1 ? (spf[0] as string) : null;
}

export interface TermCost {
  /** The term as written. */
  term: string;
  /** Lookups it causes, itself included. */
  lookups: number;
  voids: number;
}

export interface SpfCost {
  lookups: number;
  voids: number;
  /** Per lookup term of the top record, what it costs (for "what to remove"). */
  terms: TermCost[];
  /** Names whose answer is not known: the counts are a lower bound. */
  unresolved: string[];
}

/** Lookups and void lookups of a record, followed through includes and redirect with the answers given. */
export function spfCost(value: string, owner: string, answers: SpfLookupAnswers): SpfCost {
  const unresolved = new Set<string>();
  const walk = (record: string, recordOwner: string, depth: number): { lookups: number; voids: number; terms: TermCost[] } => {
    const terms: TermCost[] = [];
    const parsed = parseSpfTerms(record);
    const hasAll = parsed.some((t) => t.kind === 'mechanism' && t.name === 'all');
    for (const term of parsed.filter(isSpfLookupTerm)) {
      if (term.name === 'redirect' && hasAll) continue; // ignored when an all is present (§6.1)
      const cost: TermCost = { term: term.text, lookups: 1, voids: 0 };
      terms.push(cost);
      const target = spfTermTarget(term, recordOwner);
      if (target === null) continue;
      const type = term.name === 'include' || term.name === 'redirect' ? 'TXT' : term.name === 'mx' ? 'MX' : 'A';
      const answer = answers[spfAnswerKey({ name: target, type })];
      if (answer === undefined || answer === 'unknown') {
        unresolved.add(target);
        continue;
      }
      if (answer === null || answer.length === 0) {
        cost.voids += 1;
        continue;
      }
      if (type === 'TXT' && depth < MAX_DEPTH) {
        const inner = singleSpf(answer);
        if (inner === null) continue;
        const nested = walk(inner, target, depth + 1);
        cost.lookups += nested.lookups;
        cost.voids += nested.voids;
      }
    }
    return { lookups: terms.reduce((n, t) => n + t.lookups, 0), voids: terms.reduce((n, t) => n + t.voids, 0), terms };
  };
  const top = walk(value, owner, 0);
  return { ...top, unresolved: [...unresolved].sort() };
}
