import { createHash } from 'node:crypto';
import type { AggregateReport, Disposition, DmarcPolicyName, DmarcResult, PublishedPolicy, ReportRow } from '../../../shared/reports.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';
import { ReadBudget, ReportRefused } from './budget.js';
import { reportSentence } from './sentences.js';
import { XmlScanner } from './xmlScanner.js';

/**
 * DMARC aggregate report XML: RFC 7489 appendix C and RFC 9990 (DMARCbis: `<testing>`, `<np>`,
 * `<discovery_method>`, no `<pct>`), read in one pass without a DOM. What real reporters get
 * wrong is worked around and noted instead of losing the report: an empty `<org_name>` (the
 * domain of `<email>`, then the file name), fractional Unix times, and bad rows (skipped and
 * counted; the other rows stay). A DOCTYPE or ENTITY declaration is refused (XXE).
 */
export { ReportRefused };

export const MAX_REPORT_XML_BYTES = 64 * 1024 * 1024;

const policies = ['none', 'quarantine', 'reject'] as const;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  const lower = value?.toLowerCase();
  return (allowed as readonly string[]).includes(lower ?? '') ? (lower as T) : fallback;
}

function optionalOneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | null {
  const lower = value?.toLowerCase();
  return lower !== undefined && (allowed as readonly string[]).includes(lower) ? (lower as T) : null;
}

/** Whole or fractional seconds since 1970 (`1701129600`, `1701129600.0`). */
function epoch(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new ReportRefused(reportSentence('noDateRange', { what }));
  if (!/^\d{1,12}(\.\d{0,9})?$/.test(value)) throw new ReportRefused(reportSentence('badDate', { what, value: value.slice(0, 40) }));
  return new Date(Math.floor(Number(value)) * 1000).toISOString();
}

interface RowDraft {
  fields: Map<string, string>;
  reasons: string[];
  dkim: Array<{ domain: string; selector: string | null; result: string }>;
  spf: Array<{ domain: string; scope: string | null; result: string }>;
  /** The open `<dkim>`, `<spf>` or `<reason>` element: its kind, depth and fields. */
  current: { kind: string; depth: number; fields: Map<string, string> } | null;
}

function newRow(): RowDraft {
  return { fields: new Map(), reasons: [], dkim: [], spf: [], current: null };
}

/** Elements of a record that repeat: each becomes one entry. */
const repeated = new Set(['auth_results/dkim', 'auth_results/spf', 'row/policy_evaluated/reason']);

/** A row refused for its missing or malformed element. */
type RowOutcome = { ok: true; row: ReportRow } | { ok: false; problem: 'source_ip' | 'count' };

/**
 * One copy of each repeated value (domains, results, selectors) per report: a big report repeats
 * a handful of names thousands of times, and each copy would also keep the document's text alive.
 */
class Strings {
  private readonly seen = new Map<string, string>();
  get(value: string): string {
    const known = this.seen.get(value);
    if (known !== undefined) return known;
    // A flat copy, so the kept value does not pin the whole document (V8 slices share it).
    const copy = value.length > 12 ? (' ' + value).slice(1) : value;
    if (this.seen.size < 10_000) this.seen.set(copy, copy);
    return copy;
  }
}

const noReasons: string[] = [];

function finishRow(draft: RowDraft, strings: Strings): RowOutcome {
  const ipText = draft.fields.get('row/source_ip');
  if (ipText === undefined || ipText === '') return { ok: false, problem: 'source_ip' };
  const ip = parseIpAddress(ipText);
  if (!ip.ok) return { ok: false, problem: 'source_ip' };
  const countText = draft.fields.get('row/count');
  if (countText === undefined || countText === '') return { ok: false, problem: 'count' };
  if (!/^\d{1,10}$/.test(countText)) return { ok: false, problem: 'count' };
  const envelopeFrom = draft.fields.get('identifiers/envelope_from')?.toLowerCase();
  return {
    ok: true,
    row: {
      sourceIp: strings.get(ip.value.address),
      count: Number(countText),
      disposition: oneOf<Disposition>(draft.fields.get('row/policy_evaluated/disposition'), policies, 'none'),
      dkim: oneOf<DmarcResult>(draft.fields.get('row/policy_evaluated/dkim'), ['pass', 'fail'], 'fail'),
      spf: oneOf<DmarcResult>(draft.fields.get('row/policy_evaluated/spf'), ['pass', 'fail'], 'fail'),
      headerFrom: strings.get((draft.fields.get('identifiers/header_from') ?? '').toLowerCase()),
      envelopeFrom: envelopeFrom === undefined || envelopeFrom === '' ? null : strings.get(envelopeFrom),
      dkimResults: draft.dkim.map((d) => ({ domain: strings.get(d.domain), selector: d.selector === null ? null : strings.get(d.selector), result: strings.get(d.result) })),
      spfResults: draft.spf.map((d) => ({ domain: strings.get(d.domain), scope: d.scope === null ? null : strings.get(d.scope), result: strings.get(d.result) })),
      reasons: draft.reasons.length === 0 ? noReasons : draft.reasons.map((r) => strings.get(r)),
    },
  };
}

function rowKey(row: ReportRow): string {
  const auth = [...row.dkimResults.map((d) => `d ${d.domain} ${d.selector ?? ''} ${d.result}`), ...row.spfResults.map((s) => `s ${s.domain} ${s.scope ?? ''} ${s.result}`)];
  return [row.sourceIp, row.count, row.disposition, row.dkim, row.spf, row.headerFrom, row.envelopeFrom ?? '', row.reasons.join(','), auth.join(',')].join('\u0001');
}

export interface ParseContext {
  /** The attachment's file name, the last fallback for an empty org_name. */
  fileName?: string | null;
  budget?: ReadBudget;
}

function domainOfEmail(email: string | undefined): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  const domain = at === -1 ? '' : (email ?? '').slice(at + 1).replace(/[>\s].*$/, '').toLowerCase();
  return domain === '' ? null : domain;
}

/** `org!domain!begin!end…` (the RFC 7489 file name) → org, or the name without its extensions. */
function orgFromFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.replace(/^.*[/\\]/, '');
  const first = base.split('!')[0] ?? '';
  if (first !== '') return first;
  const stem = base.replace(/(\.xml)?(\.gz|\.zip)?$/i, '');
  return stem === '' ? null : stem;
}

class WrappedReport extends ReportRefused {}

/** Where a wrapped report's `<feedback>` starts (what the reader looks for after a wrong root). */
const feedbackStart = /<([A-Za-z_][\w.-]*:)?feedback[\s>]/;

/**
 * One aggregate report read as its text arrives (`write` each piece, then `end`): only the
 * rows and a few fields are kept, never the document. A report wrapped in another element (a
 * reporter's stray unclosed `<xs:schema>`) is read from its `<feedback>` on, with a note.
 */
export class AggregateReportReader {
  private feedback: FeedbackReader;
  /** After a root that is not <feedback>: the text not yet searched for `<feedback`. */
  private searching: string | null = null;
  private wrapper = '';

  constructor(private readonly context: ParseContext = {}) {
    this.feedback = new FeedbackReader(context);
  }

  write(text: string): void {
    if (this.searching !== null) {
      this.search(this.searching + text);
      return;
    }
    try {
      this.feedback.write(text);
    } catch (error) {
      this.wrapped(error);
    }
  }

  /** The root is not <feedback>: look for one after the root's start tag. */
  private wrapped(error: unknown): void {
    if (!(error instanceof WrappedReport)) throw error;
    this.wrapper = error.message;
    this.searching = '';
    this.search(this.feedback.fromRoot().slice(1));
  }

  private search(text: string): void {
    const found = feedbackStart.exec(text);
    if (found === null) {
      // Keep what could be the start of `<prefix:feedback` cut by the chunk's end.
      const lt = text.lastIndexOf('<');
      this.searching = lt !== -1 && text.length - lt < 256 ? text.slice(lt) : '';
      return;
    }
    this.searching = null;
    this.feedback = new FeedbackReader(this.context);
    this.feedback.write(text.slice(found.index));
  }

  end(): AggregateReport {
    let report: AggregateReport | null = null;
    if (this.searching === null) {
      try {
        report = this.feedback.end();
      } catch (error) {
        this.wrapped(error);
      }
    }
    if (this.searching !== null) throw new ReportRefused(reportSentence('notAggregate'));
    report ??= this.feedback.end();
    if (this.wrapper !== '') report.notes.push(reportSentence('wrappedReport', { root: this.wrapper }));
    return report;
  }
}

/**
 * Parses one aggregate report; throws ReportRefused with a reason a person can read. A report
 * wrapped in another element (a reporter's stray unclosed `<xs:schema>`) is read from its
 * `<feedback>` on, with a note.
 */
export function parseAggregateReport(source: string | (() => Iterable<string>), context: ParseContext = {}): AggregateReport {
  if (typeof source === 'string' && source.length > MAX_REPORT_XML_BYTES) throw new ReportRefused(reportSentence('tooLarge', { bytes: MAX_REPORT_XML_BYTES }));
  const reader = new AggregateReportReader(context);
  if (typeof source === 'string') reader.write(source);
  else for (const chunk of source()) reader.write(chunk);
  return reader.end();
}

/** The `<feedback>` document itself: fields and rows kept as the scanner reports them. */
class FeedbackReader {
  private readonly budget: ReadBudget;
  private readonly meta = new Map<string, string>();
  private readonly policy = new Map<string, string>();
  private readonly rows: ReportRow[] = [];
  private readonly problems = new Map<string, number>();
  private readonly hash = createHash('sha256');
  private readonly strings = new Strings();
  private rowsSeen = 0;
  private root: string | null = null;
  private draft: RowDraft | null = null;
  private readonly scanner: XmlScanner;

  constructor(private readonly context: ParseContext) {
    this.budget = context.budget ?? new ReadBudget();
    this.scanner = new XmlScanner({ open: (path) => this.open(path), close: (path, text) => this.close(path, text) }, this.budget);
  }

  write(text: string): void {
    this.scanner.write(text);
  }

  fromRoot(): string {
    return this.scanner.fromRoot;
  }

  private open(path: readonly string[]): void {
    if (path.length === 1) {
      this.root = path[0] ?? '';
      if (this.root !== 'feedback') throw new WrappedReport(this.root.slice(0, 40));
      return;
    }
    if (path.length === 2 && path[1] === 'record') {
      this.draft = newRow();
      return;
    }
    const draft = this.draft;
    if (draft === null || path.length < 4 || path.length > 5 || path[1] !== 'record') return;
    const where = path.slice(2).join('/');
    if (repeated.has(where)) draft.current = { kind: where, depth: path.length, fields: new Map() };
  }

  private close(path: readonly string[], text: string): void {
    const depth = path.length;
    const { meta, policy } = this;
    if (depth === 2 && path[1] === 'record' && this.draft !== null) {
      this.rowsSeen += 1;
      const outcome = finishRow(this.draft, this.strings);
      this.draft = null;
      if (!outcome.ok) {
        this.problems.set(outcome.problem, (this.problems.get(outcome.problem) ?? 0) + 1);
        return;
      }
      this.budget.spendRow();
      this.rows.push(outcome.row);
      this.hash.update(rowKey(outcome.row));
      this.hash.update('\n');
      return;
    }
    if (depth === 3 && path[1] === 'report_metadata') meta.set(path[2] ?? '', text);
    else if (depth === 4 && path[1] === 'report_metadata' && path[2] === 'date_range') meta.set(`date_range/${path[3] ?? ''}`, text);
    else if (depth === 3 && path[1] === 'policy_published') policy.set(path[2] ?? '', text);
    else if (depth === 2 && path[1] === 'version') meta.set('version', text);
    else if (this.draft !== null && depth >= 4 && path[1] === 'record') {
      const d: RowDraft = this.draft;
      const open = d.current;
      if (open !== null && depth === open.depth + 1) {
        open.fields.set(path[depth - 1] ?? '', text);
      } else if (open !== null && depth === open.depth) {
        const c = open.fields;
        d.current = null;
        if (open.kind === 'auth_results/dkim') d.dkim.push({ domain: (c.get('domain') ?? '').toLowerCase(), selector: c.get('selector') || null, result: (c.get('result') || 'none').toLowerCase() });
        else if (open.kind === 'auth_results/spf') d.spf.push({ domain: (c.get('domain') ?? '').toLowerCase(), scope: c.get('scope') || null, result: (c.get('result') || 'none').toLowerCase() });
        else {
          const type = (c.get('type') ?? '').toLowerCase();
          if (type !== '') d.reasons.push(type);
        }
      } else if (open === null && (depth === 4 || depth === 5)) d.fields.set(path.slice(2).join('/'), text);
    }
  }

  end(): AggregateReport {
    this.scanner.end();
    const { meta, policy, problems, rowsSeen, rows, context } = this;
    if (this.root === null) throw new ReportRefused(reportSentence('notAggregate'));
    if (!meta.has('org_name') && !meta.has('report_id') && !meta.has('date_range/begin')) throw new ReportRefused(reportSentence('noMetadata'));
    if (policy.size === 0) throw new ReportRefused(reportSentence('noPolicy'));
    const domain = policy.get('domain')?.toLowerCase();
    if (!domain) throw new ReportRefused(reportSentence('noDomain'));

    const notes: KeyedText[] = [];
    const email = meta.get('email') || null;
    let orgName = meta.get('org_name') ?? '';
    if (orgName === '') {
      const fromEmail = domainOfEmail(email ?? undefined);
      const fromFile = orgFromFileName(context.fileName);
      orgName = fromEmail ?? fromFile ?? 'unknown reporter';
      notes.push(reportSentence('emptyOrgName', { orgName, from: fromEmail !== null ? 'email' : fromFile !== null ? 'file' : 'none' }));
    }
    const begin = epoch(meta.get('date_range/begin'), 'begin');
    const end = epoch(meta.get('date_range/end'), 'end');
    let reportId = meta.get('report_id') ?? '';
    if (reportId === '') {
      reportId = `${orgName}!${domain}!${begin}`;
      notes.push(reportSentence('noReportId'));
    }
    if (problems.size > 0) {
      const skipped = [...problems.values()].reduce((a, b) => a + b, 0);
      const detail = [...problems.entries()].map(([element, count]) => `<${element}> ×${count}`).join(', ');
      notes.push(reportSentence('rowsSkipped', { skipped, rows: rowsSeen, detail }));
    }
    const pctText = policy.get('pct');
    const pct = pctText === undefined || pctText === '' ? null : Number(pctText);
    const testing = policy.get('testing')?.toLowerCase();
    const published: PublishedPolicy = {
      domain,
      adkim: oneOf(policy.get('adkim'), ['r', 's'], 'r'),
      aspf: oneOf(policy.get('aspf'), ['r', 's'], 'r'),
      p: oneOf<DmarcPolicyName>(policy.get('p'), policies, 'none'),
      sp: optionalOneOf<DmarcPolicyName>(policy.get('sp'), policies),
      pct: pct !== null && Number.isFinite(pct) && pct >= 0 && pct <= 100 ? pct : null,
      np: optionalOneOf<DmarcPolicyName>(policy.get('np'), policies),
      testing: testing === 'y' ? true : testing === 'n' ? false : null,
      discoveryMethod: optionalOneOf(policy.get('discovery_method'), ['psl', 'treewalk'] as const),
    };
    return { orgName, email, reportId, begin, end, policy: published, rows, rowsHash: this.hash.digest('hex'), notes };
  }
}
