import { XMLParser } from 'fast-xml-parser';
import type { AggregateReport, Disposition, DmarcPolicyName, DmarcResult, PublishedPolicy, ReportRow } from '../../../shared/reports.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';

/**
 * RFC 7489 aggregate report XML, parsed with no entity expansion and no DTD at all: a report
 * with a DOCTYPE or ENTITY declaration is refused before the parser sees it (no XXE, no
 * "billion laughs"). Anything that does not look like a report is refused with a reason.
 */
export class ReportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportRefused';
  }
}

export const MAX_REPORT_XML_BYTES = 32 * 1024 * 1024;
/** More rows than any real receiver sends for one domain and day. */
export const MAX_REPORT_ROWS = 100_000;

const arrayPaths = new Set(['feedback.record', 'feedback.record.auth_results.dkim', 'feedback.record.auth_results.spf', 'feedback.record.row.policy_evaluated.reason']);

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  removeNSPrefix: true,
  isArray: (_name, jpath) => arrayPaths.has(String(jpath)),
});

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(node: Node, key: string): Node | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

function text(node: Node | undefined, key: string): string | null {
  if (!node) return null;
  const value = node[key];
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return null;
}

function required(node: Node | undefined, key: string, where: string): string {
  const value = text(node, key);
  if (value === null || value === '') throw new ReportRefused(`The report has no <${key}> in <${where}>.`);
  return value;
}

function list(value: unknown): Node[] {
  if (Array.isArray(value)) return value.filter(isNode);
  return isNode(value) ? [value] : [];
}

function epoch(value: string, what: string): string {
  if (!/^\d{1,12}$/.test(value)) throw new ReportRefused(`The report's ${what} is not a Unix time: "${value.slice(0, 40)}".`);
  return new Date(Number(value) * 1000).toISOString();
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  const lower = value?.toLowerCase();
  return (allowed as readonly string[]).includes(lower ?? '') ? (lower as T) : fallback;
}

const policies = ['none', 'quarantine', 'reject'] as const;

function readPolicy(feedback: Node): PublishedPolicy {
  const policy = child(feedback, 'policy_published');
  if (!policy) throw new ReportRefused('The report has no <policy_published>.');
  const pct = Number(text(policy, 'pct') ?? '100');
  const sp = text(policy, 'sp');
  return {
    domain: required(policy, 'domain', 'policy_published').toLowerCase(),
    adkim: oneOf(text(policy, 'adkim'), ['r', 's'], 'r'),
    aspf: oneOf(text(policy, 'aspf'), ['r', 's'], 'r'),
    p: oneOf<DmarcPolicyName>(text(policy, 'p'), policies, 'none'),
    sp: sp === null ? null : oneOf<DmarcPolicyName>(sp, policies, 'none'),
    pct: Number.isFinite(pct) && pct >= 0 && pct <= 100 ? pct : 100,
  };
}

function readRow(record: Node, index: number): ReportRow {
  const where = `record ${index + 1}`;
  const row = child(record, 'row');
  if (!row) throw new ReportRefused(`The report's ${where} has no <row>.`);
  const ipText = required(row, 'source_ip', 'row');
  const ip = parseIpAddress(ipText);
  if (!ip.ok) throw new ReportRefused(`The report's ${where} has a source_ip that is not an address: "${ipText.slice(0, 60)}".`);
  const countText = required(row, 'count', 'row');
  if (!/^\d{1,10}$/.test(countText)) throw new ReportRefused(`The report's ${where} has a count that is not a number: "${countText.slice(0, 40)}".`);
  const evaluated = child(row, 'policy_evaluated');
  const identifiers = child(record, 'identifiers');
  const auth = child(record, 'auth_results');
  return {
    sourceIp: ip.value.address,
    count: Number(countText),
    disposition: oneOf<Disposition>(text(evaluated, 'disposition'), policies, 'none'),
    dkim: oneOf<DmarcResult>(text(evaluated, 'dkim'), ['pass', 'fail'], 'fail'),
    spf: oneOf<DmarcResult>(text(evaluated, 'spf'), ['pass', 'fail'], 'fail'),
    headerFrom: (text(identifiers, 'header_from') ?? '').toLowerCase(),
    envelopeFrom: text(identifiers, 'envelope_from')?.toLowerCase() || null,
    dkimResults: list(auth?.['dkim']).map((d) => ({
      domain: (text(d, 'domain') ?? '').toLowerCase(),
      selector: text(d, 'selector'),
      result: (text(d, 'result') ?? 'none').toLowerCase(),
    })),
    spfResults: list(auth?.['spf']).map((s) => ({
      domain: (text(s, 'domain') ?? '').toLowerCase(),
      scope: text(s, 'scope'),
      result: (text(s, 'result') ?? 'none').toLowerCase(),
    })),
    reasons: list(evaluated?.['reason']).map((r) => (text(r, 'type') ?? '').toLowerCase()).filter((t) => t !== ''),
  };
}

/** Refuses DTDs and entity declarations, wherever they sit (case-insensitive, any spacing). */
export function assertNoDtd(xml: string): void {
  if (/<!\s*DOCTYPE/i.test(xml) || /<!\s*ENTITY/i.test(xml)) {
    throw new ReportRefused('The report declares a DOCTYPE or entities, which aggregate reports never need; refused (it may be an XXE attack).');
  }
}

/** Parses one aggregate report; throws ReportRefused with a reason a person can read. */
export function parseAggregateReport(xml: string): AggregateReport {
  if (xml.length > MAX_REPORT_XML_BYTES) throw new ReportRefused(`The report is over ${MAX_REPORT_XML_BYTES} bytes.`);
  assertNoDtd(xml);
  let document: unknown;
  try {
    document = parser.parse(xml, true);
  } catch (error) {
    throw new ReportRefused(`The report is not well-formed XML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`);
  }
  const feedback = isNode(document) ? child(document, 'feedback') : undefined;
  if (!feedback) throw new ReportRefused('The XML is not a DMARC aggregate report (no <feedback> element).');
  const metadata = child(feedback, 'report_metadata');
  if (!metadata) throw new ReportRefused('The report has no <report_metadata>.');
  const range = child(metadata, 'date_range');
  const records = list(feedback['record']);
  if (records.length > MAX_REPORT_ROWS) throw new ReportRefused(`The report has more than ${MAX_REPORT_ROWS} records.`);
  const begin = epoch(required(range, 'begin', 'date_range'), 'begin date');
  const end = epoch(required(range, 'end', 'date_range'), 'end date');
  return {
    orgName: required(metadata, 'org_name', 'report_metadata'),
    email: text(metadata, 'email'),
    reportId: required(metadata, 'report_id', 'report_metadata'),
    begin,
    end,
    policy: readPolicy(feedback),
    rows: records.map(readRow),
  };
}
